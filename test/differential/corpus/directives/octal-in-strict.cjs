'use strict'
async function main() {
  await null;
  return 010;
}
main().then(console.log);
