let rounds = 0;
process.on('beforeExit', async (code) => {
  if (rounds++ < 2) {
    console.log('beforeExit', code, 'round', rounds);
    await new Promise((r) => setTimeout(r, 5));
    console.log('more work done in round', rounds);
  }
});
process.on('exit', (code) => console.log('exit', code, 'after rounds', rounds));
