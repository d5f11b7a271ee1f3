class Service {
  static #instances = 0;
  #secret = 's';
  name = 'svc';
  constructor() { Service.#instances++; }
  async run() { await null; return this.name + ':' + (await this.#hidden()); }
  async #hidden() { await null; return this.#secret; }
  static async count() { await null; return Service.#instances; }
  static async #staticHidden() { return 'static private'; }
  static callHidden() { return Service.#staticHidden(); }
  async ['computed' + 1]() { return 'computed'; }
  async *stream() { yield 1; yield 2; }
}
(async () => {
  const s = new Service();
  new Service();
  const streamed = [];
  for await (const v of s.stream()) streamed.push(v);
  console.log(await s.run(), await Service.count(), await Service.callHidden(), await s.computed1(), streamed);
  console.log(Object.getOwnPropertyNames(Service.prototype), Object.getOwnPropertyNames(Service).sort());
})();
