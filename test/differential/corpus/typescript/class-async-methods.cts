abstract class Store<T> {
  protected items = new Map<string, T>();
  abstract validate(value: T): boolean;
  async put(key: string, value: T): Promise<this> {
    await null;
    if (!this.validate(value)) throw new TypeError(`invalid ${key}`);
    this.items.set(key, value);
    return this;
  }
  async #audit(): Promise<number> { await null; return this.items.size; }
  get size(): Promise<number> { return this.#audit(); }
  static async of<U>(this: new () => Store<U>, entries: [string, U][]): Promise<Store<U>> {
    const s = new this();
    for (const [k, v] of entries) await s.put(k, v);
    return s;
  }
}
class NumberStore extends Store<number> {
  validate(value: number): boolean { return Number.isFinite(value); }
  override async put(key: string, value: number): Promise<this> { return super.put(key.toUpperCase(), value); }
}
(async () => {
  const s = await NumberStore.of([['a', 1], ['b', 2]]);
  console.log(await s.size, s instanceof NumberStore);
  try { await s.put('c', NaN); } catch (e) { console.log((e as Error).message); }
})();
