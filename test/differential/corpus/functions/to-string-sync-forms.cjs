function plain(a, { b, c } = {}) { return a + b + c; }
const arrow = (x) => x;
function* gen() { yield 1; }
class Klass { constructor(v) { this.v = v; } method() { return this.v; } get g() { return 1; } }
const bound = plain.bind(null);
for (const fn of [plain, arrow, gen, Klass, Klass.prototype.method, Object.getOwnPropertyDescriptor(Klass.prototype, 'g').get, bound, Math.max]) {
  console.log(String(fn));
}
