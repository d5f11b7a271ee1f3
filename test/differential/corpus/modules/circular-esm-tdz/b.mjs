import { a } from './a.mjs';
let seen;
try { seen = a; } catch (e) { seen = `${e.constructor.name}: ${e.message}`; }
export const b = `b saw: ${seen}`;
