import { 'a string-named export' as stringNamed } from './parts.mjs';
const barrel = await import('./barrel.mjs');
console.log(Object.keys(barrel).sort(), stringNamed, 'default' in barrel, Object.keys(barrel.namespaced).sort());
