// Code evaluated with vm.runInThisContext under the name of one of the program's own files (as
// vitest evaluates test files) runs instrumented under async-prof; the program sees nothing of it:
// the function, the evaluated functions' text, results, errors, stack columns, and call sites
// copied from their prototype (as Vite's module runner and source-map-support copy them).
const vm = require('node:vm');
const { join } = require('node:path');

const run = vm.runInThisContext;
console.log(run.name, run.length, String(run).slice(0, 30), Object.keys(vm).includes('runInThisContext'));

function cloned() {
  const original = Error.prepareStackTrace;
  Error.prepareStackTrace = (_, sites) => sites;
  const holder = {};
  Error.captureStackTrace(holder, cloned);
  const sites = holder.stack;
  Error.prepareStackTrace = original;
  return sites.slice(0, 2).map((site) => {
    const copy = {};
    for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(site))) {
      if (/^(is|get)/.test(name)) copy[name] = () => site[name]();
    }
    return [copy.getFunctionName(), copy.getLineNumber(), copy.getColumnNumber(), copy.isNative(), copy.isAsync()].join(':');
  }).join(' ');
}

const head = `'use strict';async (log, cloned)=>{{`;
const code = `${head}const answer = await Promise.resolve(42);
async function twice(x) { await null; return x * 2; }
const triple = async (x) => { await null; return x * 3; };
log(String(twice), String(triple), twice.length);
log(await twice(answer), await triple(2));
async function fail() { await null; log(cloned()); const e = new Error('inner'); throw e; }
try { await fail(); } catch (e) { log(e.stack.split('\\n').slice(0, 3).join(' | ')); }
}}`;
const file = join(__dirname, 'evaluated-module.js');
const evaluate = vm.runInThisContext(code, { filename: file, lineOffset: 0, columnOffset: -head.length });
evaluate((...args) => console.log(...args), cloned).then(() => {
  // Not a program file's name, and no name: run as given.
  console.log(vm.runInThisContext('(async () => 7)()', { filename: 'evalmachine.<anonymous>' }) instanceof Promise);
  return vm.runInThisContext('(async function anon() { await null; return new Error("x").stack.split("\\n")[1]; })()');
}).then((line) => console.log(line.trim()));
