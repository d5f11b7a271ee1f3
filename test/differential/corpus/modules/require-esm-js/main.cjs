// Node 20.19+ loads ES modules with require() (no top-level await in them).
process.removeAllListeners('warning');
process.on('warning', (w) => console.error('warning:', w.name));
const lib = require('./esm-lib.mjs');
const js = require('./esm-syntax.js');
lib.named().then((v) => console.log(v, lib.default.kind, js.fromJs(), Object.keys(lib).sort()));
