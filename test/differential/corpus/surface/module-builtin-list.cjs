const { builtinModules } = require('node:module');
console.log(builtinModules.length, builtinModules.includes('node:test') || builtinModules.includes('test'));
console.log(Object.keys(require('node:module')).sort().join(' '));
