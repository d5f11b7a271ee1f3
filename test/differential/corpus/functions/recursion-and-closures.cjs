async function fib(n) {
  if (n < 2) return n;
  const [a, b] = await Promise.all([fib(n - 1), fib(n - 2)]);
  return a + b;
}
async function countdown(n, out = []) {
  out.push(n);
  return n === 0 ? out : countdown(n - 1, out);
}
const fns = [];
for (let i = 0; i < 3; i++) fns.push(async () => { await null; return i; });
(async () => {
  console.log(await fib(12), (await countdown(5)).join(','), await Promise.all(fns.map((f) => f())));
})();
