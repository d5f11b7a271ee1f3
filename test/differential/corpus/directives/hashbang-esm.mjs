#!/usr/bin/env node
const value = await Promise.resolve(42);
console.log('top-level await after hashbang', value);
