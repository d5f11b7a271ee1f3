export let count = 0;
export async function increment() { await null; count++; }
