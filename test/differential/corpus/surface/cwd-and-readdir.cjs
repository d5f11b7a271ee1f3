// The profiled run must not leave files (traces, caches) where the program looks.
const fs = require('node:fs');
const path = require('node:path');
(async () => {
  console.log(path.basename(process.cwd()) === path.basename(__dirname), await fs.promises.readdir(process.cwd()));
  await new Promise((r) => setTimeout(r, 20));
  console.log(fs.readdirSync(__dirname));
})();
