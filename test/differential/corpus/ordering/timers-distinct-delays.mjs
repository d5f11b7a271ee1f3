const order = [];
const delays = [240, 60, 300, 120, 0];
for (const d of delays) setTimeout(() => order.push(d), d);
const interval = setInterval(() => {
  order.push('interval');
  if (order.filter((x) => x === 'interval').length === 2) clearInterval(interval);
}, 90);
const cleared = setTimeout(() => order.push('cleared'), 20);
clearTimeout(cleared);
setTimeout(() => console.log(order.join(' ')), 360);
