// fork() passes process.execArgv on: a child sees what the parent was started with.
const { fork } = require('node:child_process');
const path = require('node:path');
const child = fork(path.join(__dirname, 'child.cjs'), ['x'], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
let out = '';
child.stdout.on('data', (d) => (out += d));
child.on('message', (m) => console.log('message from child', JSON.stringify(m)));
child.on('exit', (code) => console.log('child exited', code, 'printed:', out.trim()));
