import { useB } from './a.mjs';
console.log(useB());
