const out = [];
Promise.resolve().then(() => {
  out.push('p1');
  process.nextTick(() => out.push('tick scheduled in p1'));
  Promise.resolve().then(() => out.push('p1 nested'));
});
process.nextTick(() => {
  out.push('t1');
  Promise.resolve().then(() => out.push('promise scheduled in t1'));
  process.nextTick(() => out.push('t1 nested'));
});
(async () => { out.push('async start'); await undefined; out.push('async resumed'); })();
setImmediate(() => console.log(out.join(', ')));
