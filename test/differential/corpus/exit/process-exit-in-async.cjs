process.on('exit', (code) => console.log('exiting with', code));
async function main() {
  await new Promise((r) => setTimeout(r, 5));
  console.log('about to exit');
  process.exit(5);
  console.log('never');
}
main();
setTimeout(() => console.log('never either'), 50);
