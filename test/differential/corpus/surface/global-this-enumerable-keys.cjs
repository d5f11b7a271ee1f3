console.log(Object.keys(globalThis));
const seen = [];
for (const k in globalThis) seen.push(k);
console.log(seen.length === Object.keys(globalThis).length);
(async () => { await null; console.log('after await', Object.keys(globalThis)); })();
