import * as lib from './lib.cjs';
import * as re from './reexport.cjs';
import def from './lib.cjs';
console.log(Object.keys(lib).sort(), Object.keys(re).sort(), typeof def);
console.log(await lib.fetchAll(), re.helper());
