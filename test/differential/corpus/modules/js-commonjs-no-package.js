// No package.json anywhere above and no ES syntax: CommonJS.
const { basename } = require('node:path');
async function main() {
  await null;
  console.log('CommonJS .js', basename(__filename), typeof module.exports, this === undefined);
}
main();
