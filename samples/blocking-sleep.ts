// ANTI-PATTERN: a synchronous sleep inside async code. Seed 004 (AsyncIO guide) §3 "how do blocking operations hinder
// asyncio applications?" and its closing advice ("avoid blocking calls inside coroutines"); seed 003's best practices
// ("don't block the event loop").
//
// `blockingSleep()` below busy-waits ~150 ms. It is called from an async function, but being inside an async function
// does not make it asynchronous: while it spins, the single JavaScript thread can do nothing else — no timer fires,
// no other request is answered, no socket is read. A ticker that should tick every 10 ms shows the freeze.
//
// THE FIX: wait without holding the thread — `await setTimeout(ms)` from node:timers/promises (or the samples'
// `sleep()`), and move real CPU-bound work to a worker thread (see event-loop.ts).
//
// Timeline: one blocking entry of ~150 ms named `blockingSleep` inside `handleRequest`, during which the ticker and
// the other request stall; then the fixed version: a 150 ms timer wait with the ticker ticking all through it.
// The block is 150 ms of real time, multiplied by SAMPLE_TIME_SCALE only when that is 1 or more, so it is always long
// enough for a profiler to flag. Figures printed here are real milliseconds.
import { setTimeout as wait } from 'node:timers/promises';
import { TIME_SCALE } from './lib/env.js';

const BLOCK_MS = 150 * Math.max(1, TIME_SCALE);
const TICK_MS = 10;

/** The bug: a busy-wait "sleep" — the thread is held for `ms` milliseconds. */
function blockingSleep(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spinning: nothing else in this process can run
  }
}

async function handleRequest(): Promise<void> {
  console.log(`handleRequest: calling blockingSleep(${BLOCK_MS} ms)`);
  const started = performance.now();
  blockingSleep(BLOCK_MS); // BUG: use `await wait(BLOCK_MS)` instead
  console.log(`handleRequest: blockingSleep returned after ${(performance.now() - started).toFixed(0)} ms`);
}

async function handleRequestFixed(): Promise<void> {
  console.log(`handleRequestFixed: awaiting a ${BLOCK_MS} ms timer`);
  const started = performance.now();
  await wait(BLOCK_MS); // FIX: the thread is free while we wait
  console.log(`handleRequestFixed: done after ${(performance.now() - started).toFixed(0)} ms`);
}

/** Another task that should answer in 20 ms. */
async function otherRequest(): Promise<number> {
  const started = performance.now();
  await wait(20);
  return performance.now() - started;
}

function startTicker(): { stop: () => { ticks: number; longestGap: number } } {
  let ticks = 0;
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    ticks++;
  }, TICK_MS);
  return {
    stop: () => {
      clearInterval(timer);
      return { ticks, longestGap: Math.max(longest, performance.now() - last) };
    },
  };
}

async function measure(label: string, handler: () => Promise<void>): Promise<void> {
  await wait(30); // let the ticker settle into its rhythm first
  const ticker = startTicker();
  await wait(3 * TICK_MS);
  const before = ticker.stop(); // ticks before the request, to compare with
  const during = startTicker();
  const other = otherRequest();
  await handler();
  const stats = during.stop();
  const otherMs = await other;
  console.log(
    `${label}: ticker ticked ${stats.ticks} times during the request (one tick every ${TICK_MS} ms expected; ${before.ticks} in the ${3 * TICK_MS} ms before), longest gap between ticks ${stats.longestGap.toFixed(0)} ms`,
  );
  console.log(`${label}: another request that needs 20 ms was answered after ${otherMs.toFixed(0)} ms`);
}

console.log(`ticker: one tick every ${TICK_MS} ms`);
await measure('blocking', handleRequest);
console.log('');
await measure('fixed', handleRequestFixed);
