'use strict'
const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function main() {
  await wait(5);
  console.log('strict this:', (function () { return this; })());
  return 'done';
}
main().then(console.log);
