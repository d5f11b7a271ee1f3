const { EventEmitter } = require('node:events');
const e = new EventEmitter();
const out = [];
e.on('x', async (v) => { out.push('async listener start ' + v); await null; out.push('async listener end ' + v); });
e.on('x', (v) => out.push('sync listener ' + v));
e.emit('x', 1);
out.push('after emit');
e.emit('x', 2);
setImmediate(() => console.log(out.join('\n')));
