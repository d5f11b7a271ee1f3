#!/usr/bin/env node
'use strict'
async function main() {
  await new Promise((resolve) => setImmediate(resolve));
  console.log('hashbang and directive', this === undefined ? 'module this undefined' : typeof this);
}
main();
