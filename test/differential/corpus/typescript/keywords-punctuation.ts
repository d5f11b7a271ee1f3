async function f(x: Promise<number>): Promise<number> {
  return await(x);
}
async function g(p: Promise<string>): Promise<string> {
  return(p);
}
function* gen(): Generator<number> {
  yield(1);
  yield*([2, 3]);
}
async function h(s: string): Promise<boolean> {
  return/^t/.test(await Promise.resolve(s));
}
async function arr(): Promise<number[]> { return[await 1, 2]; }
(async () => {
  const out: unknown[] = [await f(Promise.resolve(1)), await g(Promise.resolve('g')), [...gen()], await h('ts'), await arr(), typeof(await 1), void(0)];
  for await (const v of[Promise.resolve('bracket')]) out.push(v);
  console.log(JSON.stringify(out));
})();
