const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
console.log('before');
await sleep(10);
const values: number[] = await Promise.all([1, 2, 3].map(async (n) => { await sleep(n); return n * 2; }));
console.log('after', values, import.meta.url.endsWith('.mts'));
