const out: string[] = [];
async function a(): Promise<void> { out.push('a1'); await null; out.push('a2'); await null; out.push('a3'); }
async function b(): Promise<string> { out.push('b1'); return Promise.resolve('b'); }
a();
b().then((v) => out.push('b resolved ' + v));
Promise.resolve().then(() => out.push('p1')).then(() => out.push('p2')).then(() => out.push('p3'));
process.nextTick(() => out.push('tick'));
queueMicrotask(() => out.push('qm'));
setImmediate(() => console.log(out.join(' ')));
