'use strict'
async function main() {
  await null;
  console.log('strict after BOM:', (function () { return this; })() === undefined);
}
main();
