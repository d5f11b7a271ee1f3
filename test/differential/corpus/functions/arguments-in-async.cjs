async function f(a, b) {
  const before = arguments.length;
  await null;
  arguments[0] = 'changed';
  const arrow = async () => { await null; return [...arguments]; };
  return [before, a, await arrow(), Array.isArray(arguments), Object.prototype.toString.call(arguments)];
}
async function strictF(a) {
  'use strict';
  await null;
  arguments[0] = 'changed';
  return a;
}
Promise.all([f(1, 2, 3), strictF('kept')]).then((r) => console.log(JSON.stringify(r)));
