import { EventEmitter, once, on } from 'node:events';
const e = new EventEmitter();
setTimeout(() => e.emit('ready', 'a', 'b'), 10);
console.log('once', await once(e, 'ready'));
setTimeout(() => e.emit('error', new Error('emitted error')), 10);
try { await once(e, 'never'); } catch (err) { console.log('once rejects on error:', err.message); }
const ac = new AbortController();
setTimeout(() => { e.emit('data', 1); e.emit('data', 2); e.emit('data', 3); }, 10);
let count = 0;
try {
  for await (const [v] of on(e, 'data', { signal: ac.signal })) {
    console.log('data', v);
    if (++count === 3) ac.abort();
  }
} catch (err) {
  console.log(err.name, err.code);
}
