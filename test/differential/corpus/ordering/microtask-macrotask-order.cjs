const log = (m) => console.log(m);

setImmediate(() => log('immediate'));
Promise.resolve().then(() => log('promise 1'));
queueMicrotask(() => log('microtask'));
process.nextTick(() => log('nextTick'));
(async () => {
  log('async sync part');
  await null;
  log('after await 1');
  await null;
  log('after await 2');
})();
Promise.resolve().then(() => log('promise 2')).then(() => log('promise 2 then'));
log('sync end');
