async function* gen() {
  const a = yield 'first';
  console.log('received', a);
  try {
    yield 'second';
  } catch (e) {
    console.log('generator caught', e);
    yield 'after catch';
  }
  return 'done';
}
const it = gen();
console.log(await it.next('ignored'));
console.log(await it.next('A'));
console.log(await it.throw('injected'));
console.log(await it.next(), await it.next());
const it2 = gen();
const [x, y, z] = await Promise.all([it2.next(), it2.next('queued'), it2.return('cut')]);
console.log(x, y, z);
console.log(Object.prototype.toString.call(it2), typeof it2[Symbol.asyncIterator]);
