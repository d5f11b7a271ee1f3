import { setTimeout as sleep } from 'node:timers/promises';
const ac = new AbortController();
setTimeout(() => ac.abort(new Error('custom reason')), 20);
try { await sleep(200, 'never', { signal: ac.signal }); } catch (e) { console.log(e.name, e.code, e.cause?.message); }
const pre = AbortSignal.abort('already');
try { await sleep(10, 'x', { signal: pre }); } catch (e) { console.log('pre-aborted', e.name, e.cause); }
try { await sleep(200, 'never', { signal: AbortSignal.timeout(20) }); } catch (e) { console.log('timeout signal', e.name, e.cause?.name); }
const signal = AbortSignal.any([new AbortController().signal, AbortSignal.timeout(10)]);
signal.addEventListener('abort', () => console.log('any() aborted with', signal.reason.name));
await sleep(40);
const ac2 = new AbortController();
ac2.signal.onabort = () => console.log('onabort fired, aborted =', ac2.signal.aborted);
ac2.abort();
console.log(ac2.signal.reason.name, ac2.signal.reason.message);
