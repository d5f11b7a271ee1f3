console.log('evaluate c (CommonJS)');
module.exports = 'c';
