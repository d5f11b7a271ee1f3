let n = 0;
const next = async () => { await null; return n++ < 3; };
const limit = async () => 3;
async function f() {
  const out = [];
  while (await next()) out.push('while ' + n);
  for (let i = 0; i < (await limit()); i++) out.push('for ' + i);
  let k = 0;
  do { out.push('do ' + k); } while (await Promise.resolve(++k < 2));
  for (const x in await Promise.resolve({ a: 1, b: 2 })) out.push('in ' + x);
  return out;
}
f().then((o) => console.log(o.join(', ')));
