import { fromJsSpecifier } from './lib.js';
import { fromIndex } from './dir';
fromJsSpecifier().then((v) => console.log(v, '|', fromIndex));
