process.on('SIGINT', () => { console.log('got SIGINT, exiting 42'); process.exit(42); });
console.log('SIGINT listeners:', process.listenerCount('SIGINT'));
setTimeout(() => process.kill(process.pid, 'SIGINT'), 5);
setTimeout(() => console.log('never'), 2000);
