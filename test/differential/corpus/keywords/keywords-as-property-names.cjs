class K {
  async() { return 'method named async'; }
  await() { return 'method named await'; }
  static async static() { return 'static async static'; }
  async get() { return 'async get'; }
  get set() { return 'getter named set'; }
  async yield() { return 'async yield'; }
}
(async () => {
  const k = new K();
  console.log(k.async(), k.await(), await K.static(), await k.get(), k.set, await k.yield());
  const o = { await: async () => 'o.await', for: 1, if: 2, return: 3 };
  console.log(await o.await(), o.for + o.if + o.return);
})();
