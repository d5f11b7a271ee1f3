// Code inserted into a function must not depend on names the program may shadow there.
async function f() {
  const Promise = 'shadowed Promise';
  const Object = 'shadowed Object';
  const Symbol = 'shadowed Symbol';
  const Reflect = 'shadowed Reflect';
  const Error = 'shadowed Error';
  const globalThis = 'shadowed globalThis';
  const process = 'shadowed process';
  const setTimeout = 'shadowed setTimeout';
  const performance = 'shadowed performance';
  const Date = 'shadowed Date';
  const Math = 'shadowed Math';
  const Array = 'shadowed Array';
  const Function = 'shadowed Function';
  const undefined = 'shadowed undefined';
  await null;
  return [Promise, Object, Symbol, Reflect, Error, globalThis, process, setTimeout, performance, Date, Math, Array, Function, undefined].length;
}
async function g(require, module, exports, __filename, __dirname) {
  await null;
  return [require, module, exports, __filename, __dirname].join(',');
}
f().then(async (n) => console.log(n, await g(1, 2, 3, 4, 5)));
