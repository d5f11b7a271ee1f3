let reads = 0;
const RealPromise = Promise;
Object.defineProperty(globalThis, 'Promise', { get() { reads++; return RealPromise; }, configurable: true });
async function f() { await null; return 1; }
f().then(() => {
  const n = reads;
  console.log('global Promise read by the program itself:', n);
});
