module.exports = async function legacy() { return 'legacy via createRequire'; };
