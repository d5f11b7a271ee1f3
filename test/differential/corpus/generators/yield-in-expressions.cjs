function* g() {
  const a = (yield 1) + (yield 2);
  const arr = [yield 3, ...(yield 4)];
  const obj = { [yield 5]: yield 6 };
  yield a;
  yield arr;
  yield obj;
}
const it = g();
const results = [];
let next = it.next();
const inputs = [10, 20, 'x', ['s1', 's2'], 'key', 'value'];
while (!next.done) {
  results.push(next.value);
  next = it.next(inputs.shift());
}
console.log(JSON.stringify(results));
