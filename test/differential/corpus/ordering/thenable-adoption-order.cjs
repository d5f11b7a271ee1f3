const out = [];
const thenable = { then(r) { out.push('thenable.then called'); r('T'); } };
(async () => { out.push('await thenable start'); const v = await thenable; out.push('got ' + v); })();
Promise.resolve(thenable).then((v) => out.push('Promise.resolve(thenable) ' + v));
new Promise((r) => r(thenable)).then((v) => out.push('resolve(thenable) ' + v));
Promise.resolve().then(() => out.push('plain 1')).then(() => out.push('plain 2')).then(() => out.push('plain 3'));
out.push('sync');
setTimeout(() => console.log(out.join('\n')), 5);
