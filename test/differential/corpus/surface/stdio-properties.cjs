console.log(process.stdout.isTTY, process.stderr.isTTY, process.stdin.isTTY, typeof process.stdout.columns);
console.log(process.stdout.constructor.name, process.stderr.constructor.name, process.stdin.constructor.name);
process.stdout.write('no newline at the end');
