async function main() {
  await null;
  console.log('BOM at start', new Error('x').stack.split('\n')[1].trim().split(':').slice(-2).join(':'));
}
main();
