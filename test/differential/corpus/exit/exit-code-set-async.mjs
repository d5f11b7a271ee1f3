await new Promise((r) => setTimeout(r, 5));
process.exitCode = 4;
console.log('exitCode set to', process.exitCode);
