function* counter(limit) {
  let received = [];
  for (let i = 0; i < limit; i++) {
    const r = yield i;
    if (r !== undefined) received.push(r);
  }
  return received;
}
const it = counter(3);
console.log(it.next(), it.next('a'), it.next('b'), it.next('c'), it.next());
function* withFinally() { try { yield 1; yield 2; } finally { console.log('finally on return()'); } }
const w = withFinally();
console.log(w.next(), w.return('early'), w.next());
function* thrower() { try { yield 1; } catch (e) { yield 'caught ' + e; } }
const t = thrower();
console.log(t.next(), t.throw('boom'), t.next());
console.log([...counter(4)], Array.from({ length: 2 }, (_, i) => i));
