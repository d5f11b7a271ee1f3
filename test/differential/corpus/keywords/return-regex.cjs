async function test(s) {
  return/^a+b$/.test(await s);
}
function syncTest(s) {
  return/x/g.exec(s)?.index;
}
async function split(s) {
  const parts = (await s).split(/,\s*/);
  return parts.length / 2 / 1;
}
Promise.all([test('aab'), test(Promise.resolve('ba')), split('a, b,c, d')]).then((r) => console.log(r, syncTest('abx')));
