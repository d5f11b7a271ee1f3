const NativePromise = Promise;
class Bluebirdish extends NativePromise {}
global.Promise = Bluebirdish;
async function f() { await null; return 'x'; }
const p = f();
console.log('async functions still return native promises:', p.constructor === NativePromise, p instanceof Bluebirdish);
p.then((v) => {
  console.log(v, typeof Promise.resolve, Promise === Bluebirdish);
  global.Promise = NativePromise;
});
