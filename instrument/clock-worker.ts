// Runs in a worker thread: keeps a coarse copy of performance.now() in shared memory,
// so the instrumented code can tell cheaply whether time has moved (see clock.ts).
import { workerData } from 'node:worker_threads';

const { buffer, tickMs } = workerData as { buffer: SharedArrayBuffer; tickMs: number };
const now = new Float64Array(buffer, 0, 1);
const park = new Int32Array(buffer, 8, 1);
for (;;) {
  now[0] = performance.now();
  Atomics.wait(park, 0, 0, tickMs);
}
