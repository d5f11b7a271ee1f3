const util = require('node:util');
const AsyncFunction = (async () => {}).constructor;
const AsyncGeneratorFunction = (async function* () {}).constructor;
async function f() {}
async function* g() {}
const arrow = async () => {};
class C { async m() {} }
for (const fn of [f, g, arrow, C.prototype.m]) {
  console.log(
    fn.name,
    fn instanceof AsyncFunction,
    fn instanceof AsyncGeneratorFunction,
    util.types.isAsyncFunction(fn),
    util.types.isGeneratorFunction(fn),
    Object.getPrototypeOf(fn).constructor.name,
    'prototype' in fn,
    Object.getOwnPropertyNames(fn).sort().join(','),
    util.inspect(fn),
  );
}
console.log(Object.prototype.toString.call(f), Object.prototype.toString.call(f()));
