class Base {
  constructor() { this.kind = new.target.name; }
  async load(x) { await null; return 'base:' + x; }
  static async create() { return new this(); }
}
class Derived extends Base {
  async load(x) {
    const parent = await super.load(x);
    const viaArrow = await (async () => super.load(x + '!'))();
    return parent + '|' + viaArrow;
  }
  static async create() {
    const made = await super.create();
    return made;
  }
}
function Plain() {
  if (!new.target) return 'called without new';
  this.made = true;
}
(async () => {
  const d = await Derived.create();
  console.log(d.kind, await d.load('x'), Plain(), new Plain().made);
})();
