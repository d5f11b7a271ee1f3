async function declared(a, b = 2, ...rest) {
  // a comment inside
  return await a + b + rest.length;
}
const arrow = async (x) => x * 2;
const arrowBody = async x => { await null; return x; };
const expr = async function named() { return 1; };
const anon = [async function () {}][0];
const obj = { async method(p) { return p; }, async *gen() { yield 1; } };
class C { async m() { await 0; } static async s() {} }
for (const fn of [declared, arrow, arrowBody, expr, anon, obj.method, obj.gen, C.prototype.m, C.s]) {
  console.log('---', fn.name);
  console.log(fn.toString());
}
