import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const thenable = { then(r) { r(als.getStore()?.id); } };
async function inner(label) {
  await sleep(5);
  const a = als.getStore()?.id;
  await null;
  const b = await thenable;
  const c = await new Promise((r) => setImmediate(() => r(als.getStore()?.id)));
  const d = await new Promise((r) => process.nextTick(() => r(als.getStore()?.id)));
  return `${label}: ${a} ${b} ${c} ${d}`;
}
const results = await Promise.all([1, 2, 3].map((id) => als.run({ id }, () => inner('request ' + id))));
console.log(results.join('\n'));
console.log('outside', als.getStore());
als.enterWith({ id: 'entered' });
await sleep(1);
console.log('after enterWith', als.getStore().id);
