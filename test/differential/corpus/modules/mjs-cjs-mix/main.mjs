import lib, { add, name } from './lib.cjs';
import * as ns from './lib.cjs';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const again = require('./lib.cjs');
const { esmValue, esmAsync } = await import('./other.mjs');
console.log(await add(1, 2), name, lib === again, Object.keys(ns).sort(), esmValue, await esmAsync());
