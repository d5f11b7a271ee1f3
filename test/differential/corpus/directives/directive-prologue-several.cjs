'use strict'
'another directive'
async function main() {
  await Promise.resolve();
  console.log('sloppy this is undefined:', (function () { return this; })() === undefined);
}
main();
