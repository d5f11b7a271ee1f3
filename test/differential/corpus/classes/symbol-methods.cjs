class Range {
  constructor(n) { this.n = n; }
  async *[Symbol.asyncIterator]() { for (let i = 0; i < this.n; i++) { await null; yield i; } }
  *[Symbol.iterator]() { for (let i = this.n; i > 0; i--) yield i; }
  get [Symbol.toStringTag]() { return 'Range'; }
  async [Symbol.for('custom')]() { return 'symbol-keyed async'; }
}
(async () => {
  const r = new Range(3);
  const got = [];
  for await (const v of r) got.push(v);
  console.log(got, [...r], String(r), await r[Symbol.for('custom')]());
})();
