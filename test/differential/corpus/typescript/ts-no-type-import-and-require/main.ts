import { basename } from 'node:path';
const data = require('./data.cjs');
async function main() {
  await null;
  console.log(basename(__filename), data.answer, typeof module, typeof exports);
}
main();
