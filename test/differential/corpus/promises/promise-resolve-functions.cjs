let resolveOut, rejectOut;
const p = new Promise((resolve, reject) => { resolveOut = resolve; rejectOut = reject; });
console.log(resolveOut.length, resolveOut.name === '', typeof rejectOut);
resolveOut('first');
resolveOut('ignored');
rejectOut(new Error('ignored too'));
p.then((v) => console.log('settled once with', v));
const selfResolved = new Promise((r) => setImmediate(() => r(selfResolved)));
selfResolved.catch((e) => console.log(e.constructor.name, e.message));
