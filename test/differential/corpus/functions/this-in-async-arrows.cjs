class Counter {
  constructor() { this.count = 0; }
  start() {
    const tick = async () => { await null; this.count++; return this; };
    return Promise.all([tick(), tick()]).then(() => this.count);
  }
}
const obj = {
  name: 'obj',
  async method() {
    const inner = async () => { await null; return this.name; };
    return inner();
  },
  arrow: async () => typeof this,
};
(async () => {
  console.log(await new Counter().start(), await obj.method(), await obj.arrow(), this === module.exports);
})();
