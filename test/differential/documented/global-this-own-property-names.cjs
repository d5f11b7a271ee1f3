// Stricter than "no enumerable globals": non-enumerable additions show here too.
const names = Object.getOwnPropertyNames(globalThis).sort();
console.log(names.length);
console.log(names.join(' '));
console.log(Object.getOwnPropertySymbols(globalThis).map(String));
