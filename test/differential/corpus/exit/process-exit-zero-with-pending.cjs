setTimeout(() => console.log('never'), 1000);
Promise.resolve().then(() => { console.log('microtask then exit'); process.exit(); });
