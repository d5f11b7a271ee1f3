// Seed 002 (lab) Exercise 3 "Concurrent Execution" (sequential vs gather vs as_completed vs a semaphore limit,
// compared side by side) and the semaphore part of Exercise 8 "Best Practices" (10 tasks, at most 3 at once).
//
// Timeline, in order:
//   1. Sequential: ten I/O tasks (0.5-2.0 s each, seeded) strictly one after another — wall time = their sum.
//   2. Promise.all: the same ten overlap completely — wall time = the longest one.
//   3. As completed: the same ten overlap; results are handled in finishing order — wall time = the longest.
//   4. Limited to 3 at a time (p-limit): never more than three bars overlap.
//   5. CPU-bound work (4 x 0.3 s busy loops): Promise.all gives no speed-up — the blocks run back to back.
//   6. Lab exercise 8: ten 0.5 s tasks through a 3-slot semaphore — four waves.
import pLimit from 'p-limit';
import { random, scaled, sleep } from './lib/env.js';
import { asCompleted, stopwatch } from './lib/b-async.js';

const rand = random();

/** I/O-bound work: it only waits, so many can wait at once. */
async function simulateWork(name: string, duration: number): Promise<string> {
  await sleep(duration);
  return `${name} done in ${duration.toFixed(2)}s`;
}

/** CPU-bound work: keeps the thread busy; nothing else runs until it returns. */
async function simulateCpuWork(name: string, duration: number): Promise<string> {
  const end = performance.now() + scaled(duration);
  let x = 0;
  while (performance.now() < end) x += Math.sqrt(x + 1);
  return `${name} computed ${x > 0 ? 'ok' : '?'}`;
}

/** A "task" here is a factory: a promise starts the moment it exists, so a strategy must decide when to call it. */
type Job<T> = () => Promise<T>;

async function runSequential<T>(jobs: Job<T>[]): Promise<T[]> {
  const results: T[] = [];
  for (const job of jobs) results.push(await job());
  return results;
}

async function runConcurrentGather<T>(jobs: Job<T>[]): Promise<T[]> {
  return Promise.all(jobs.map((job) => job()));
}

async function runConcurrentAsCompleted<T>(jobs: Job<T>[], onResult: (r: T) => void): Promise<T[]> {
  const results: T[] = [];
  for await (const result of asCompleted(jobs.map((job) => job()))) {
    onResult(result); // handled as soon as it is ready, not in submission order
    results.push(result);
  }
  return results;
}

async function rateLimitedTasks<T>(jobs: Job<T>[], maxConcurrent: number): Promise<T[]> {
  const limit = pLimit(maxConcurrent); // asyncio.Semaphore(max_concurrent) around each job
  return Promise.all(jobs.map((job) => limit(job)));
}

async function main(): Promise<void> {
  const durations = Array.from({ length: 10 }, () => Math.round((0.5 + rand() * 1.5) * 100) / 100);
  const sum = durations.reduce((a, b) => a + b, 0);
  const longest = Math.max(...durations);
  const jobs: Job<string>[] = durations.map((d, i) => () => simulateWork(`task_${i}`, d));
  console.log(`10 tasks of ${durations.map((d) => d.toFixed(2)).join(', ')} s (sum ${sum.toFixed(2)}s, longest ${longest.toFixed(2)}s)`);

  const timings: [string, number][] = [];
  const time = async (label: string, run: () => Promise<unknown[]>): Promise<void> => {
    console.log(`${label}:`);
    const elapsed = stopwatch();
    const results = await run();
    const seconds = elapsed();
    console.log(`Results: ${results.length}`);
    console.log(`Time: ${seconds.toFixed(2)}s`);
    timings.push([label, seconds]);
  };

  await time('Sequential', () => runSequential(jobs));
  await time('Concurrent with gather', () => runConcurrentGather(jobs));
  const order: string[] = [];
  await time('Concurrent with as_completed', () => runConcurrentAsCompleted(jobs, (r) => order.push(r.split(' ')[0]!)));
  console.log(`Completion order: ${order.join(', ')}`);
  await time('Semaphore-limited (max 3 concurrent)', () => rateLimitedTasks(jobs, 3));

  console.log('\nSide by side:');
  const base = timings[0]![1];
  for (const [label, seconds] of timings) {
    console.log(`  ${label.padEnd(38)} ${seconds.toFixed(2)}s  (${(base / seconds).toFixed(1)}x)`);
  }

  console.log('\nCPU-bound work (4 x 0.3s):');
  const cpuJobs: Job<string>[] = [0, 1, 2, 3].map((i) => () => simulateCpuWork(`cpu_${i}`, 0.3));
  let elapsed = stopwatch();
  await runSequential(cpuJobs);
  const cpuSequential = elapsed();
  elapsed = stopwatch();
  await runConcurrentGather(cpuJobs);
  const cpuGather = elapsed();
  console.log(`  Sequential: ${cpuSequential.toFixed(2)}s`);
  console.log(`  Promise.all: ${cpuGather.toFixed(2)}s (no speed-up: one thread runs one computation at a time)`);

  console.log('\nLab exercise 8: semaphore(3), 10 tasks:');
  let active = 0;
  let peak = 0;
  const limit = pLimit(3);
  elapsed = stopwatch();
  const results = await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      limit(async () => {
        peak = Math.max(peak, ++active);
        try {
          return await simulateWork(`task_${i}`, 0.5);
        } finally {
          active--;
        }
      }),
    ),
  );
  console.log(`Rate limited tasks completed: ${results.length}`);
  console.log(`  at most ${peak} running at once, ${elapsed().toFixed(2)}s`);
}

await main();
