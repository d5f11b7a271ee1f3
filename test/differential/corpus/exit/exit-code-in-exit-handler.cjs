process.on('exit', (code) => {
  console.log('exit handler sees', code);
  process.exitCode = 3;
});
(async () => { await null; console.log('work done'); })();
