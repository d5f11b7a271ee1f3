// BLOCKING WORK IN A THREAD. Seed 004 (AsyncIO guide) §3 and its final notes ("run blocking work in
// a thread: asyncio.to_thread / run_in_executor"), seed 003 practice Ex. 1 (run_in_executor).
//
// Four CPU-heavy checksums (about 150 ms each). First on the main loop: each one holds the only
// JavaScript thread, so the 10 ms ticker stops and the count of jobs in flight never rises above
// one. Then in a pool of four worker_threads: the main loop only posts the jobs and awaits the
// answers, the ticker keeps ticking and all four jobs are in flight at once.
//
// Timeline (`npx async-prof run samples/blocking-work-in-a-thread.ts`): on the main thread, one
// blocking entry of ~600 ms named `checksum` inside `onMainLoop`, and the hint
// cpu-work-on-main-thread at the checksum line. Then four worker lane groups, each with its own
// `onJob` task and its blocking stretch in `checksum` (samples/lib/checksum.mjs), overlapping in
// time, while the main thread's lane group stays idle apart from the ticker.
import { setTimeout as wait } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { checksum, roundsFor } from './lib/checksum.mjs';
import { TIME_SCALE } from './lib/env.js';

const JOBS = 4;
const JOB_MS = 150 * Math.max(1, TIME_SCALE);
const TICK_MS = 10;

/** Counts ticks of a 10 ms timer while `work` runs: a frozen loop shows as missing ticks. */
async function withTicker<T>(label: string, work: (inFlight: { now: number; most: number }) => Promise<T>): Promise<T> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, TICK_MS);
  const inFlight = { now: 0, most: 0 };
  const started = performance.now();
  const result = await work(inFlight);
  clearInterval(timer);
  const ms = performance.now() - started;
  console.log(`${label}: ${ms.toFixed(0)} ms, ticker ticked ${ticks} times (expected about ${Math.floor(ms / TICK_MS)}), at most ${inFlight.most} job(s) in flight`);
  return result;
}

async function onMainLoop(rounds: number): Promise<number[]> {
  return withTicker('main loop', async (inFlight) => {
    const sums: number[] = [];
    for (let id = 0; id < JOBS; id++) {
      inFlight.most = Math.max(inFlight.most, ++inFlight.now);
      sums.push(checksum(rounds)); // holds the thread: nothing else runs meanwhile
      inFlight.now--;
      await wait(0);
    }
    return sums;
  });
}

async function inWorkerPool(rounds: number): Promise<number[]> {
  const workers = Array.from({ length: JOBS }, () => new Worker(new URL('./lib/checksum-worker.mjs', import.meta.url)));
  // The threads start before the clock runs: starting a thread is not the work.
  await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once('message', resolve))));
  const sums = await withTicker('worker pool', (inFlight) =>
    Promise.all(
      workers.map(
        (worker, id) =>
          new Promise<number>((resolve) => {
            inFlight.most = Math.max(inFlight.most, ++inFlight.now);
            worker.once('message', (answer: { id: number; sum: number }) => {
              inFlight.now--;
              resolve(answer.sum);
            });
            worker.postMessage({ id, rounds });
          }),
      ),
    ),
  );
  await Promise.all(
    workers.map((worker) => {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage('stop');
      return exited;
    }),
  );
  return sums;
}

async function main(): Promise<void> {
  const rounds = roundsFor(JOB_MS);
  console.log(`Four checksums of about ${JOB_MS} ms each`);
  const first = await onMainLoop(rounds);
  const second = await inWorkerPool(rounds);
  console.log(`same results: ${first.every((sum, i) => sum === second[i])}`);
}

void main();
