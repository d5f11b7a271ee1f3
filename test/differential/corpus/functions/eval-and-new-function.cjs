const AsyncFunction = (async () => {}).constructor;
const dynamic = new AsyncFunction('a', 'b', 'return await a + b');
const evaluated = eval('(async (x) => { await null; return x * 3; })');
const fromFunction = new Function('return async function made() { return "made"; }')();
async function usesEval() {
  const local = 'local';
  await null;
  return eval('local + " via direct eval"');
}
(async () => {
  console.log(await dynamic(1, 2), await evaluated(5), await fromFunction(), await usesEval());
  console.log(dynamic.toString());
  console.log(evaluated.toString());
})();
