function* g(a) { yield a; }
async function* ag(a, b) { yield a; }
const o = { *m() {}, async *am() {} };
for (const f of [g, ag, o.m, o.am]) console.log(f.name, f.length, f.toString(), Object.getPrototypeOf(f).constructor.name);
console.log(String(ag('x')), typeof ag.prototype, Object.getPrototypeOf(ag.prototype) === Object.getPrototypeOf(o.am.prototype));
