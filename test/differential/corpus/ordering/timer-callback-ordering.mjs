setTimeout(() => {
  console.log('timer A');
  setImmediate(() => console.log('immediate from A (check phase runs before the next timers phase)'));
  setTimeout(() => console.log('timeout 0 from A'), 0);
  Promise.resolve().then(() => console.log('promise from A'));
  process.nextTick(() => console.log('tick from A'));
}, 10);
setTimeout(() => console.log('timer B (60 ms)'), 60);
setTimeout(() => console.log('timer C (120 ms)'), 120);
