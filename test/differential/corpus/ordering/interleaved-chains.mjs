const log = [];
async function a() { log.push('a1'); await null; log.push('a2'); await null; log.push('a3'); }
async function b() { log.push('b1'); await Promise.resolve(); log.push('b2'); return 'b'; }
const c = () => Promise.resolve().then(() => log.push('c1')).then(() => log.push('c2')).then(() => log.push('c3'));
async function d() { log.push('d1'); const v = await b(); log.push('d2 ' + v); }
a(); c(); d();
queueMicrotask(() => log.push('qm'));
process.nextTick(() => log.push('tick'));
await new Promise((r) => setTimeout(r, 5));
console.log(log.join(' '));
