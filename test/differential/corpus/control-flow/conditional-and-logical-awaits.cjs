const yes = async () => true;
const val = async (v) => v;
async function f(flag) {
  const a = flag ? await val('then') : await val('else');
  const b = (await yes()) && (await val('and'));
  const c = (await val(0)) || (await val('or'));
  const d = (await val(null)) ?? (await val('nullish'));
  const e = (await val(2)) ** 3;
  const f = -(await val(5));
  const g = [...(await val([1, 2])), ...'ab'];
  const h = { [await val('key')]: await val('value'), ...(await val({ spread: true })) };
  const i = `${await val('t')}-${flag ? await val('x') : 'y'}`;
  const j = new (await val(Map))([[await val('k'), 1]]).size;
  return [a, b, c, d, e, f, g, h, i, j];
}
Promise.all([f(true), f(false)]).then((r) => console.log(JSON.stringify(r)));
