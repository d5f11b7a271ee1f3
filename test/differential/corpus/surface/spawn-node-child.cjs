const { execFileSync } = require('node:child_process');
const out = execFileSync(process.execPath, ['-e', 'console.log(JSON.stringify({execArgv: process.execArgv, opts: process.env.NODE_OPTIONS || null}))'], { encoding: 'utf8' });
console.log('child:', out.trim());
