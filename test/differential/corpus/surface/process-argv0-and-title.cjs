const path = require('node:path');
console.log(process.argv0, path.basename(process.argv[0]), path.basename(process.argv[1]), process.title === 'node' || process.title);
console.log(process.execPath === process.argv[0]);
