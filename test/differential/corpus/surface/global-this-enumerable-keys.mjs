console.log(Object.keys(globalThis));
await null;
console.log(Object.keys(globalThis).length);
