// A `with` over a Proxy sees every free name the code inside looks up, inserted names included.
const looked = new Set();
const scope = new Proxy({}, {
  has(_, key) {
    if (typeof key === 'string') looked.add(key);
    return false;
  },
});
with (scope) {
  var run = async function (x) {
    await null;
    const y = await Promise.resolve(x + 1);
    return y * 2;
  };
}
run(1).then((v) => {
  console.log(v, [...looked].sort());
});
