process.on('unhandledRejection', (reason, promise) => {
  console.log('unhandledRejection', reason.message, promise instanceof Promise);
});
async function failLater() { await new Promise((r) => setTimeout(r, 5)); throw new Error('late failure'); }
failLater();
Promise.reject(new Error('immediate failure'));
