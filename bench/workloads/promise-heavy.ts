// The design notes' promise-heavy workload: 200k sequentially awaited async calls (each awaiting
// two inner async calls), then 20k concurrent ones, then 2,000 timers. Prints its own timing
// as JSON so the benchmark compares the workload, not process start-up.
import { setTimeout as sleep } from 'node:timers/promises';

async function leaf(i: number): Promise<number> {
  return i & 7;
}

async function unit(i: number): Promise<number> {
  const a = await leaf(i);
  const b = await leaf(i + 1);
  return a + b;
}

async function sequential(n: number): Promise<number> {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += await unit(i);
  return sum;
}

async function concurrent(n: number): Promise<number> {
  const all = await Promise.all(Array.from({ length: n }, (_, i) => unit(i)));
  return all.reduce((a, b) => a + b, 0);
}

async function timers(n: number): Promise<void> {
  await Promise.all(Array.from({ length: n }, (_, i) => sleep(i % 5)));
}

// The benchmark's sizes by default; the analysis tests run it smaller (argument: sequential calls).
const calls = Number(process.argv[2] ?? 200_000);
const started = performance.now();
const s = await sequential(calls);
const c = await concurrent(calls / 10);
await timers(2_000);
const workloadMs = performance.now() - started;
process.stdout.write(JSON.stringify({ workloadMs, check: s + c, maxRssKb: process.resourceUsage().maxRSS }) + '\n');
