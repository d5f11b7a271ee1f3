class Counter {
  accessor count = 0;
  static accessor instances = 0;
  #hidden = 1;
  accessor #secret = 'private accessor';
  constructor() { Counter.instances++; }
  reveal() { return this.#secret; }
  async bump() { await null; this.count++; return this.count; }
}
const c = new Counter();
new Counter();
(async () => {
  await c.bump();
  console.log(await c.bump(), Counter.instances, c.reveal());
  const desc = Object.getOwnPropertyDescriptor(Counter.prototype, 'count');
  console.log(typeof desc?.get, typeof desc?.set, Object.keys(c));
})();
