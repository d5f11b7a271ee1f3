process.on('exit', () => console.log('first exit listener'));
process.on('exit', (code) => { console.log('second exit listener', code); });
process.once('exit', () => console.log('once listener'));
setTimeout(() => console.log('last timer'), 10);
