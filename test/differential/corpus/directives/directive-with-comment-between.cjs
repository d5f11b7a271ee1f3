// leading comment
/* block comment */ 'use strict' // trailing comment
/* another */
async function main() {
  await null;
  console.log('strict?', (function () { return !this; })());
}
main();
