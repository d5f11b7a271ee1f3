// Makes ~10 million trace events (1.25M awaited async calls, each with two inner awaits):
// the profiler must stay within bounded memory while it runs.
async function leaf(i: number): Promise<number> {
  return i & 7;
}

async function unit(i: number): Promise<number> {
  const a = await leaf(i);
  const b = await leaf(i + 1);
  return a + b;
}

const started = performance.now();
let sum = 0;
for (let i = 0; i < 1_250_000; i++) sum += await unit(i);
process.stdout.write(JSON.stringify({ workloadMs: performance.now() - started, check: sum, maxRssKb: process.resourceUsage().maxRSS }) + '\n');
