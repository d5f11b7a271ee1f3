import { setTimeout as sleep, setImmediate as immediate, setInterval as every } from 'node:timers/promises';
const a = sleep(60, 'slow');
const b = sleep(10, 'fast');
console.log(await Promise.race([a, b]), await a);
console.log(await immediate('immediate value'));
let n = 0;
for await (const v of every(30, 'tick')) {
  console.log(v, ++n);
  if (n === 3) break;
}
