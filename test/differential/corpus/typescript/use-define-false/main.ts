class Base {
  constructor() { (this as any).init(); }
}
class Child extends Base {
  label?: string;
  count = 1;
  init() { this.label = 'set during super()'; }
  set size(v: number) { console.log('setter called with', v); }
}
class WithSetter extends Child {
  size = 5;
}
(async () => {
  await null;
  const c = new Child();
  console.log(c.label, c.count, Object.keys(c));
  new WithSetter();
})();
