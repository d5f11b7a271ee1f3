exports.add = async (a, b) => a + b;
exports.name = 'cjs lib';
module.exports.late = 'assigned later';
