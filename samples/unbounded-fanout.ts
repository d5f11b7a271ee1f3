// ANTI-PATTERN: unbounded fan-out — 10,000 tasks started at once with no limit. Seed 003 (practice) best practices
// ("use semaphores to limit concurrent operations", "balance concurrency with resource usage") and seed 002 (lab)
// Exercises 3 and 8 (semaphore-limited execution).
//
// `Promise.all(items.map(processItem))` starts every call immediately: all 10,000 are in flight together — 10,000
// open requests, sockets, file handles or timers at the same moment. Against a real service that is a self-inflicted
// denial of service; locally it is memory and descriptor exhaustion.
//
// THE FIX (run with --fixed): bound the concurrency with p-limit:
//     import pLimit from 'p-limit';
//     const limit = pLimit(200);
//     await Promise.all(items.map((item) => limit(() => processItem(item))));
// Never more than 200 run at once; the rest wait their turn in p-limit's queue (cheap closures, not open resources).
//
// Timeline: without --fixed, 10,000 overlapping 0.1 s tasks — a peak concurrency of 10,000, all ending together;
// with --fixed, waves of at most 200 (a peak of 200), 50 waves one after another.
import pLimit from 'p-limit';
import { sleep } from './lib/env.js';
import { stopwatch } from './lib/b-async.js';

const TASKS = 10_000;
const LIMIT = 200;

let inFlight = 0;
let peak = 0;

async function processItem(i: number): Promise<number> {
  inFlight++;
  peak = Math.max(peak, inFlight);
  try {
    await sleep(0.1); // e.g. one HTTP request
    return i;
  } finally {
    inFlight--;
  }
}

const fixed = process.argv.includes('--fixed');
const items = Array.from({ length: TASKS }, (_, i) => i);
const elapsed = stopwatch();

let results: number[];
if (!fixed) {
  results = await Promise.all(items.map(processItem)); // BUG: all 10,000 start right now
} else {
  const limit = pLimit(LIMIT);
  results = await Promise.all(items.map((i) => limit(() => processItem(i)))); // FIX: at most LIMIT at a time
}

console.log(`${fixed ? `Ran ${TASKS} tasks through p-limit(${LIMIT})` : `Started ${TASKS} tasks at once, no limit`}`);
console.log(`Peak in flight: ${peak}`);
console.log(`All ${results.length} done in ${elapsed().toFixed(2)}s`);
