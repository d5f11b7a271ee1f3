for await (const v of[1, Promise.resolve(2), 3]) console.log('no space', v);
for await(const v of[4]) console.log('no spaces at all', v);
async function f() {
  const out = [];
  for await (const [a, b] of[[1, 2], Promise.resolve([3, 4])]) out.push(a + b);
  return out;
}
console.log(await f());
