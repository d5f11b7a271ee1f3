const a = require('./a.cjs');
(async () => { await null; console.log(a.fromB, a.late); })();
