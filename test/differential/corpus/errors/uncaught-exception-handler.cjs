process.on('uncaughtException', (err, origin) => {
  console.log('handled', origin, err.message);
});
setTimeout(() => { throw new Error('from timer'); }, 5);
Promise.reject(new Error('from promise'));
setTimeout(() => console.log('still running'), 20);
