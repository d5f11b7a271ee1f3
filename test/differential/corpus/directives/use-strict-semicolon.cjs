'use strict';
async function main() {
  await null;
  try {
    undeclared = 1;
  } catch (error) {
    console.log(error.name, error.message);
  }
}
main();
