console.log('waiting for a promise that never settles');
await new Promise(() => {});
