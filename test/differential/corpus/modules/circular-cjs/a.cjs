exports.early = 'a.early';
const b = require('./b.cjs');
exports.late = 'a.late';
exports.fromB = b.seen;
