async function* source(label) {
  try {
    for (let i = 0; ; i++) {
      await new Promise((r) => setImmediate(r));
      yield `${label}${i}`;
    }
  } finally {
    console.log(label, 'cleanup');
  }
}
async function withBreak() {
  for await (const v of source('b')) { console.log(v); if (v === 'b1') break; }
  return 'after break';
}
async function withReturn() {
  for await (const v of source('r')) { console.log(v); if (v === 'r2') return 'returned ' + v; }
}
async function withThrow() {
  try {
    for await (const v of source('t')) { console.log(v); throw new Error('thrown at ' + v); }
  } catch (e) {
    return e.message;
  }
}
(async () => {
  console.log(await withBreak());
  console.log(await withReturn());
  console.log(await withThrow());
})();
