async function work() {
  try {
    await null;
    throw new Error('fails');
  } finally {
    console.log('finally runs, then exits');
    process.exit(6);
  }
}
await work();
