const { AsyncLocalStorage } = require('node:async_hooks');
const als = new AsyncLocalStorage();
async function* gen() {
  yield als.getStore();
  await new Promise((r) => setTimeout(r, 5));
  yield als.getStore();
}
als.run('ctx', async () => {
  const seen = [];
  for await (const v of gen()) seen.push(v);
  const events = require('node:events');
  const e = new events.EventEmitter();
  setTimeout(() => e.emit('go', 1), 5);
  await events.once(e, 'go');
  seen.push(als.getStore());
  console.log(seen);
});
