'use strict'
`not a directive, a template`;
async function main() {
  await null;
  console.log('template after directive, strict:', (function () { return this === undefined; })());
}
main();
