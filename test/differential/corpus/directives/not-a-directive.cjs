const x = 1;
'use strict'
async function main() {
  await null;
  console.log('sloppy after late string:', typeof (function () { return this; })());
}
main();
