const path = require('node:path');
module.exports = { file: path.basename(__filename), dir: path.basename(__dirname), same: require.main === module };
