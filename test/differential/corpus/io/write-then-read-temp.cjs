const fs = require('node:fs/promises');
const path = require('node:path');
(async () => {
  const file = path.join(__dirname, 'scratch.txt');
  await fs.writeFile(file, 'written by the program\n');
  await fs.appendFile(file, 'appended\n');
  console.log(await fs.readFile(file, 'utf8'));
  await fs.rm(file);
  console.log((await fs.readdir(__dirname)).filter((f) => f === 'scratch.txt').length);
})();
