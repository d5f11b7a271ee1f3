// Seed 003 (practice exercises) Exercise 1 "Understanding the Event Loop": sequential vs concurrent awaits, mixing
// in synchronous work through an executor (here a node:worker_threads thread, the counterpart of run_in_executor /
// asyncio.to_thread), and scheduling tasks without awaiting them at once. Also seed 004's closing advice: never
// block the loop — move blocking work to a thread (section 6 below measures the difference).
//
// Timeline, in order:
//   1. three 0.1 s sleeps one after another (0.3 s);
//   2. three 0.1 s sleeps overlapping (0.1 s);
//   3. a 0.1 s blocking sleep inside the worker thread (the main thread stays idle, no blocking entry), then two
//      0.05 s sleeps overlapping — 0.15 s;
//   5. three 0.05 s tasks started before anyone awaits them;
//   6. 1 s of CPU work on the main thread — one long blocking entry, the 0.05 s ticker stops — then the same work
//      in the worker thread while the ticker keeps ticking.
import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import { scaled, sleep } from './lib/env.js';
import { deferred, stopwatch, type Deferred } from './lib/b-async.js';

async function asyncTask(taskName: string, delay: number): Promise<string> {
  console.log(`  Starting task: ${taskName}`);
  await sleep(delay);
  console.log(`  Completed task: ${taskName}`);
  return `${taskName} completed after ${delay}s`;
}

// --- a one-thread executor -------------------------------------------------------------------------------------------
// The worker's code is plain JavaScript passed with `eval: true`, so it runs the same under tsx, node or a profiler.
const workerSource = `
const { parentPort } = require('node:worker_threads');
const cell = new Int32Array(new SharedArrayBuffer(4));
parentPort.on('message', ({ id, kind, ms }) => {
  parentPort.postMessage({ id, event: 'started' });
  if (kind === 'sleep') {
    Atomics.wait(cell, 0, 0, ms); // a real blocking sleep, like time.sleep — harmless here, this is not the loop's thread
  } else {
    const end = performance.now() + ms;
    let x = 0;
    while (performance.now() < end) x += Math.sqrt(x + 1); // CPU-bound work
  }
  parentPort.postMessage({ id, event: 'done' });
});
`;

class ThreadExecutor {
  readonly #worker = new Worker(workerSource, { eval: true });
  readonly #calls = new Map<number, { started?: () => void; done: Deferred<void> }>();
  #nextId = 0;
  constructor() {
    this.#worker.on('message', ({ id, event }: { id: number; event: 'started' | 'done' }) => {
      const call = this.#calls.get(id);
      if (!call) return;
      if (event === 'started') call.started?.();
      else {
        this.#calls.delete(id);
        call.done.resolve();
      }
    });
  }
  /** Runs blocking work (`ms` real milliseconds of it) on the worker thread; the returned promise settles when it is done. */
  run(kind: 'sleep' | 'cpu', ms: number, started?: () => void): Promise<void> {
    const id = this.#nextId++;
    const done = deferred<void>();
    this.#calls.set(id, { started, done });
    this.#worker.postMessage({ id, kind, ms });
    return done.promise;
  }
  async ready(): Promise<void> {
    await once(this.#worker, 'online');
  }
  async close(): Promise<void> {
    await this.#worker.terminate();
  }
}

/** The seed's `synchronous_work` (time.sleep(0.1)), handed to the executor. Its prints happen on the main thread. */
async function synchronousWork(executor: ThreadExecutor): Promise<string> {
  await executor.run('sleep', scaled(0.1), () => console.log('Synchronous work starting'));
  console.log('Synchronous work completed');
  return 'sync result';
}

/** CPU-bound work right on the main thread: nothing else runs until it returns. */
function cpuWorkOnMainThread(ms: number): void {
  const end = performance.now() + ms;
  let x = 0;
  while (performance.now() < end) x += Math.sqrt(x + 1);
}

/** Counts ticks of a timer that should fire every `everySeconds`, and the longest gap between two of them. */
function startTicker(everySeconds: number): { stop: () => { ticks: number; longestGap: number } } {
  let ticks = 0;
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    ticks++;
  }, scaled(everySeconds));
  return {
    stop: () => {
      clearInterval(timer);
      longest = Math.max(longest, performance.now() - last);
      return { ticks, longestGap: longest / scaled(1) };
    },
  };
}

async function demonstrateEventLoop(executor: ThreadExecutor): Promise<void> {
  console.log('='.repeat(60));
  console.log('ASYNC PROGRAMMING DEMONSTRATION');
  console.log('='.repeat(60));

  console.log('\n1. Synchronous Execution (Blocking)');
  console.log('-'.repeat(40));
  let elapsed = stopwatch();
  await asyncTask('Task 1', 0.1);
  await asyncTask('Task 2', 0.1);
  await asyncTask('Task 3', 0.1);
  const syncTime = elapsed();
  console.log(`  Sequential async time: ${syncTime.toFixed(3)}s`);

  console.log('\n2. Concurrent Execution (Non-blocking)');
  console.log('-'.repeat(40));
  elapsed = stopwatch();
  await Promise.all([asyncTask('Task A', 0.1), asyncTask('Task B', 0.1), asyncTask('Task C', 0.1)]);
  const concurrentTime = elapsed();
  console.log(`  Concurrent async time: ${concurrentTime.toFixed(3)}s`);

  console.log('\n3. Mixed Synchronous and Async Execution');
  console.log('-'.repeat(40));
  const mixedOperations = async (): Promise<[string, string[]]> => {
    const syncResult = await synchronousWork(executor); // blocking code runs in the worker thread
    const asyncResults = await Promise.all([asyncTask('Async 1', 0.05), asyncTask('Async 2', 0.05)]);
    return [syncResult, asyncResults];
  };
  elapsed = stopwatch();
  await mixedOperations();
  const mixedTime = elapsed();
  console.log(`  Mixed operations time: ${mixedTime.toFixed(3)}s`);

  console.log('\n4. Performance Summary');
  console.log('-'.repeat(40));
  console.log(`  Sequential:    ${syncTime.toFixed(3)}s (baseline)`);
  console.log(`  Concurrent:    ${concurrentTime.toFixed(3)}s (${(syncTime / concurrentTime).toFixed(1)}x faster)`);
  console.log(`  Mixed:         ${mixedTime.toFixed(3)}s`);
}

async function exploreEventLoop(): Promise<void> {
  console.log('\n5. Event Loop Exploration');
  console.log('-'.repeat(40));
  console.log(`  Loop: libuv ${process.versions.uv} (Node ${process.version})`);
  console.log(`  Is running: ${true}`); // code that runs at all runs inside the loop; there is no separate "loop object"
  const scheduledTask = async (taskId: number): Promise<number> => {
    console.log(`    Task ${taskId} starting`);
    await sleep(0.05);
    console.log(`    Task ${taskId} completed`);
    return taskId * 2;
  };
  // Calling an async function runs it up to its first await right away, so in Node the "starting" lines print
  // before "Tasks scheduled" (in asyncio they print after, at the next loop iteration).
  const tasks = [0, 1, 2].map(scheduledTask);
  console.log(`  Tasks scheduled: ${tasks.length}`);
  const results = await Promise.all(tasks);
  console.log(`  All tasks completed: [${results.join(', ')}]`);
}

async function blockingVersusWorker(executor: ThreadExecutor): Promise<void> {
  console.log('\n6. Blocking Work: Main Thread vs Worker Thread');
  console.log('-'.repeat(40));
  const work = 1.0; // course seconds of CPU work
  await sleep(0.05);
  let ticker = startTicker(0.05);
  let elapsed = stopwatch();
  await sleep(0.1); // let the ticker tick a couple of times first
  const before = elapsed();
  cpuWorkOnMainThread(scaled(work)); // the event loop is stuck here: timers cannot fire
  const mainWork = elapsed() - before;
  let stats = ticker.stop();
  console.log(`  On the main thread: ${mainWork.toFixed(2)}s of work, longest gap between ticks ${stats.longestGap.toFixed(2)}s`);

  ticker = startTicker(0.05);
  elapsed = stopwatch();
  await executor.run('cpu', scaled(work)); // the same work on the worker thread; the loop stays free
  const workerWork = elapsed();
  stats = ticker.stop();
  console.log(
    `  In a worker thread: ${workerWork.toFixed(2)}s of work, ${stats.ticks} ticks meanwhile, longest gap between ticks ${stats.longestGap.toFixed(2)}s`,
  );
}

const executor = new ThreadExecutor();
await executor.ready(); // boot the thread before timing anything (like a pre-started executor)
try {
  await demonstrateEventLoop(executor);
  await exploreEventLoop();
  await blockingVersusWorker(executor);
} finally {
  await executor.close();
}
