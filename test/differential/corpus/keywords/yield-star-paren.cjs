async function* inner() { yield 'i1'; yield 'i2'; return 'inner done'; }
async function* outer() {
  const r = yield*(inner());
  yield r;
  const s = yield* [Promise.resolve('sync-iterable promise')];
  yield s;
}
(async () => {
  for await (const v of outer()) console.log(v);
})();
