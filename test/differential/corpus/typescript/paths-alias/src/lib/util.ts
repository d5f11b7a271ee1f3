export const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export async function greet(name: string) { await wait(5); return `hello ${name}`; }
