const fs = require('node:fs');
fs.readFile(__filename, () => {
  setTimeout(() => console.log('timeout 0 (after immediate: inside an I/O callback the order is fixed)'), 0);
  setImmediate(() => console.log('immediate'));
  process.nextTick(() => console.log('nextTick'));
  Promise.resolve().then(() => console.log('promise'));
});
