function* g() {
  yield /a/.source;
  yield/b/.flags + 'x';
}
async function* ag() {
  yield /c+/g.exec('ccc')[0];
}
(async () => {
  console.log([...g()]);
  for await (const v of ag()) console.log(v);
})();
