// Libraries and APMs patch Promise.prototype.then; every extra call a profiler makes shows here.
const originalThen = Promise.prototype.then;
let calls = 0;
Promise.prototype.then = function (...args) {
  calls++;
  return originalThen.apply(this, args);
};
async function f() { await null; return 1; }
async function g() { return f(); }
const r = await g();
const counted = calls;
Promise.prototype.then = originalThen;
console.log('result', r, 'patched then calls', counted);
