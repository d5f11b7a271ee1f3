const source = { a: 1, nested: { b: 2 }, list: [3, 4, 5] };
const get = async (v) => { await null; return v; };
async function f({ a, nested: { b }, list: [first, ...others] } = source, extra = first * 10) {
  const { missing = await get('default from await'), ...rest } = await get({ x: 1, y: 2 });
  const [p = await get('p'), q = 'q'] = [undefined, await get(undefined)];
  return { a, b, first, others, extra, missing, rest, p, q };
}
async function g(x = get('default is a promise')) {
  return await x;
}
Promise.all([f(), f({ a: 9, nested: { b: 8 }, list: [7] }), g(), g('given')]).then((r) => console.log(JSON.stringify(r)));
