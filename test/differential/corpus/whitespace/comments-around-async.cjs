async /* between async and function */ function a() { return 'a'; }
const b = async /* before params */ (/* inside */ x /* after */) /* before arrow */ => /* before body */ x;
const c = async /* no line break may follow async */ (y) => // but one may follow the arrow
  y;
class K {
  async /* c */ m /* d */ () /* e */ { /* f */ await /* g */ null; return 'm'; }
  static /* s */ async /* t */ * /* u */ gen() { yield 'gen'; }
}
const o = { async /* x */ [/* y */ 'comp'] /* z */ () { return await /* w */ 'comp'; } };
(async () => {
  const out = [await a(), await b('b'), await c('c'), await new K().m(), await o.comp()];
  for await (/* q */ const v /* r */ of /* s */ K.gen()) out.push(v);
  console.log(out.join(' '), a.toString(), b.toString());
})();
