interface Page { n: number; items: string[] }
async function* pages(limit: number): AsyncGenerator<Page, string, undefined> {
  try {
    for (let n = 1; n <= limit; n++) {
      await new Promise<void>((r) => setImmediate(r));
      yield { n, items: [`item${n}a`, `item${n}b`] };
    }
    return 'exhausted';
  } finally {
    console.log('pages closed');
  }
}
const seen: string[] = [];
outer: for await (const page of pages(5)) {
  for (const item of page.items) {
    if (item.endsWith('b') && page.n === 2) continue outer;
    if (page.n === 4) break outer;
    seen.push(item);
  }
}
console.log(seen.join(','));
