import { fromCts, helper } from './lib.cjs';
import lib from './lib.cjs';
import * as ns from './lib.cjs';
console.log(await fromCts(21), helper(), Object.keys(ns).sort(), typeof lib);
