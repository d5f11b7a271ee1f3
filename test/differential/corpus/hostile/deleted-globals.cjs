const keepTimeout = setTimeout;
delete globalThis.queueMicrotask;
globalThis.setImmediate = undefined;
async function f() { await null; return typeof queueMicrotask + ' ' + typeof setImmediate; }
f().then((v) => keepTimeout(() => console.log(v), 5));
