const path = require('node:path');
require('./dep.cjs');
const keys = Object.keys(require.cache).map((k) => path.relative(__dirname, k));
console.log('require.cache', keys);
console.log('main is module', require.main === module, path.basename(require.main.filename));
console.log('children', module.children.map((m) => path.basename(m.id)));
console.log('paths[0]', path.relative(__dirname, module.paths[0]));
console.log(typeof require.resolve, path.basename(require.resolve('./dep.cjs')), require.extensions ? Object.keys(require.extensions) : 'none');
