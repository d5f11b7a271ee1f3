class Base {
  constructor(name) {
    this.name = name;
    this.ready = this.init();
  }
  async init() { await null; return 'base init ' + this.name; }
}
class Derived extends Base {
  extra = 'field';
  constructor() {
    super('derived');
    this.after = 'after super';
  }
  async init() {
    const parent = await super.init();
    return parent + ' then derived (extra=' + this.extra + ')';
  }
}
new Derived().ready.then(console.log);
