let sum = 0;
for (let i = 0; i < 20000; i++) sum += await i;
console.log(sum);
const results = await Promise.all(Array.from({ length: 2000 }, async (_, i) => { await null; return i; }));
console.log(results.length, results[1999]);
