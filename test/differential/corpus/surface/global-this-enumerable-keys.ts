const keys: string[] = Object.keys(globalThis);
console.log(keys);
