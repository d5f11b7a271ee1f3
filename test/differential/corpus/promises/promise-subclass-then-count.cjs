let thenCalls = 0;
let constructed = 0;
class TrackedPromise extends Promise {
  constructor(executor) { constructed++; super(executor); }
  then(onFulfilled, onRejected) {
    thenCalls++;
    return super.then(onFulfilled, onRejected);
  }
}
async function returnsSubclass() {
  return new TrackedPromise((resolve) => setTimeout(resolve, 10, 'subclass value'));
}
async function awaitsSubclass() {
  return await new TrackedPromise((resolve) => resolve('awaited subclass'));
}
(async () => {
  console.log(await returnsSubclass(), 'then calls', thenCalls, 'constructed', constructed);
  thenCalls = 0; constructed = 0;
  console.log(await awaitsSubclass(), 'then calls', thenCalls, 'constructed', constructed);
  thenCalls = 0; constructed = 0;
  const viaAll = await TrackedPromise.all([1, TrackedPromise.resolve(2)]);
  console.log(viaAll, 'then calls', thenCalls, 'constructed', constructed);
  const f = TrackedPromise.resolve(1).finally(() => {});
  console.log(f instanceof TrackedPromise, f.constructor.name);
})();
