class Lazy {
  #value;
  get value() { return this.#value ??= this.compute(); }
  set value(v) { this.#value = Promise.resolve(v); }
  async compute() { console.log('compute runs once'); await null; return 42; }
}
(async () => {
  const l = new Lazy();
  console.log(await l.value, await l.value);
  l.value = 'set';
  console.log(await l.value);
})();
