process.exitCode = 9;
process.on('exit', (code) => console.log('exit code in handler', code, process.exitCode));
setTimeout(() => { throw new Error('uncaught after exitCode was set'); }, 5);
