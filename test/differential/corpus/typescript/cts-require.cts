import path = require('node:path');
import fs = require('node:fs');
const self: string = path.basename(__filename);
async function main(): Promise<void> {
  const text = await fs.promises.readFile(__filename, 'utf8');
  console.log(self, text.split('\n').length, typeof require, typeof module);
}
main();
export = { main };
