import { b } from './b.mjs';
import { a } from './a.mjs';
import c from './c.cjs';
console.log('evaluate main', a, b, c);
