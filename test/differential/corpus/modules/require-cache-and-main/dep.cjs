module.exports = { loadedAt: 'dep' };
