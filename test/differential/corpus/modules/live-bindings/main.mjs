import { count, increment } from './counter.mjs';
console.log('before', count);
await increment();
await increment();
console.log('after', count);
try { count = 5; } catch (e) { console.log(e.constructor.name); }
