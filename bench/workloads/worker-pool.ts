// `npm run bench` workload: CPU-bound work in a pool of four worker threads. Prints JSON: how long
// the threads took to start (until each said it was ready) and how long the work took once they
// had (32 jobs of about 40 ms of arithmetic, handed out as threads free up), in ms.
import { Worker } from 'node:worker_threads';

const THREADS = 4;
const JOBS = 32;
const ROUNDS = 4_000_000;

async function main(): Promise<void> {
  const started = performance.now();
  const workers = Array.from({ length: THREADS }, () => new Worker(new URL('./worker-pool-thread.mjs', import.meta.url)));
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
  const ready = performance.now();
  let next = 0;
  await Promise.all(
    workers.map(async (worker) => {
      while (next < JOBS) {
        next++;
        await new Promise((resolve) => {
          worker.once('message', resolve);
          worker.postMessage(ROUNDS);
        });
      }
    }),
  );
  const done = performance.now();
  await Promise.all(workers.map((w) => w.terminate()));
  console.log(JSON.stringify({ startMs: ready - started, workloadMs: done - ready }));
}

void main();
