const data = new Map<string, number>([['a', 1]]);
export async function get(key: string) { await null; return data.get(key); }
