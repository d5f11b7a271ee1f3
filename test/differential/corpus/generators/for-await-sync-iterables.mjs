const slow = (v, ms) => new Promise((r) => setTimeout(r, ms, v));
for await (const v of [slow('a', 60), 'b', slow('c', 10)]) console.log('array', v);
for await (const v of new Set([Promise.resolve(1), 2])) console.log('set', v);
for await (const ch of 'hi') console.log('string', ch);
function* syncGen() {
  try { yield Promise.resolve('g1'); yield 'g2'; } finally { console.log('sync gen finally'); }
}
for await (const v of syncGen()) { console.log('syncGen', v); break; }
const m = new Map([['k', Promise.resolve('v')]]);
for await (const [k, v] of m) console.log('map entry', k, v instanceof Promise);
