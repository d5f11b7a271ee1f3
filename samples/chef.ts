// Seed 004 (complete guide to AsyncIO), Phase 1 example: `async def chef(dish, time)` cooks several dishes
// at once with asyncio.gather.
//
// Timeline: three overlapping sleeps that start together — Pasta 3 s, Salad 2 s, Pizza 5 s — and the whole
// run ends with the longest one: wall time ≈ 5.0 s (max(3, 2, 5)), not 10 s (their sum).
// Output: the seed's "Expected Output", then one extra line with the measured total.
import { sleep } from './lib/env.js';
import { pyRepr, stopwatch } from './lib/b-async.js';

async function chef(dish: string, time: number): Promise<string> {
  console.log(`👨‍🍳 Starting ${dish}...`);
  await sleep(time); // simulating cooking time without blocking the other dishes
  console.log(`✅ ${dish} is ready after ${time} seconds!`);
  return `${dish} done`;
}

async function main(): Promise<void> {
  const elapsed = stopwatch();
  // asyncio.gather -> Promise.all: all three start now; results come back in argument order.
  const results = await Promise.all([chef('🍝 Pasta', 3), chef('🥗 Salad', 2), chef('🍕 Pizza', 5)]);
  console.log('All dishes ready:', pyRepr(results));
  console.log(`Total time: ${elapsed().toFixed(2)} seconds (cooked one after another it would take 10 s)`);
}

await main();
