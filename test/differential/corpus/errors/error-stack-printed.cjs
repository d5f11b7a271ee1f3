async function level3() {
  await null;
  return new Error('made at level 3');
}
async function level2() { return await level3(); }
async function level1() {
  const e = await level2();
  throw e;
}
level1().catch((e) => {
  console.log(e.stack);
  const syncError = new Error('synchronous');
  console.log(syncError.stack.split('\n').slice(0, 2).join('\n'));
});
