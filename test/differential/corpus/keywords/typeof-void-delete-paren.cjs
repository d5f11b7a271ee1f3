async function f(x) {
  const o = { k: 1 };
  const results = [typeof(x), typeof(await x), void(0), void(await x), delete(o.k), typeof(o.k)];
  return results;
}
f(Promise.resolve(7)).then((r) => console.log(r));
