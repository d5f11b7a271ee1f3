const a = require('./a.cjs');
exports.seen = `b saw a partly: ${Object.keys(a)}`;
