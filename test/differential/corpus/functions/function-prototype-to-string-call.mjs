const f = async function (a, b) { return a + b };
const g = async (x) => { await x };
console.log(Function.prototype.toString.call(f));
console.log(Function.prototype.toString.call(g));
console.log(`${f}`.length, (g + '').length);
console.log(Reflect.apply(Function.prototype.toString, f, []) === f.toString());
