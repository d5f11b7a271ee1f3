console.log('sending SIGTERM to myself');
setTimeout(() => process.kill(process.pid, 'SIGTERM'), 5);
setTimeout(() => console.log('never'), 2000);
