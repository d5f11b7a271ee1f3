process.on('unhandledRejection', (e) => console.log('unhandled from async executor:', e.message));
const p = new Promise(async (resolve) => {
  await null;
  throw new Error('lost in async executor');
});
const timeout = new Promise((r) => setTimeout(r, 20, 'outer promise never settled'));
Promise.race([p, timeout]).then(console.log);
