const util = require('node:util');
const fs = require('node:fs');
function legacy(a, b, cb) { setTimeout(() => (a < 0 ? cb(new Error('negative')) : cb(null, a + b)), 5); }
function multi(cb) { cb(null, 1, 2); }
function custom(cb) { cb(null, 'plain'); }
custom[util.promisify.custom] = () => Promise.resolve('custom promisified');
const add = util.promisify(legacy);
(async () => {
  console.log(await add(1, 2), add.name, add.length);
  try { await add(-1, 0); } catch (e) { console.log('rejected', e.message); }
  console.log(await util.promisify(multi)(), await util.promisify(custom)());
  const stat = await util.promisify(fs.stat)(__filename);
  console.log(stat.isFile());
  const cbified = util.callbackify(async (x) => x * 2);
  cbified(21, (err, v) => console.log('callbackify', err, v));
})();
