const fs = require('node:fs');
const path = require('node:path');
const file = path.join(__dirname, 'generated-broken.js');
fs.writeFileSync(file, 'module.exports = async () => {\n  await await;\n};\n');
try {
  require(file);
} catch (e) {
  console.log(e.name, e.message);
}
