// Counts microtask ticks until each promise settles: any extra `then` hop shows up as a number.
function ticksUntil(promise) {
  let ticks = 0;
  let done = false;
  promise.then(() => { done = true; }, () => { done = true; });
  const spin = () => { if (!done) { ticks++; Promise.resolve().then(spin); } };
  Promise.resolve().then(spin);
  return promise.then(() => ticks, () => ticks);
}
async function returnsValue() { return 1; }
async function returnsPromise() { return Promise.resolve(1); }
async function returnsAwaited() { return await Promise.resolve(1); }
async function awaitsTwice() { await null; await null; return 1; }
async function returnsThenable() { return { then(r) { r(1); } }; }
const arrow = async () => 1;
async function throws() { throw new Error('x'); }
class K { async m() { return 1; } static async s() { await null; } }
(async () => {
  for (const [name, make] of Object.entries({ returnsValue, returnsPromise, returnsAwaited, awaitsTwice, returnsThenable, arrow, throws, method: () => new K().m(), staticMethod: () => K.s() })) {
    console.log(name, await ticksUntil(make()));
  }
})();
