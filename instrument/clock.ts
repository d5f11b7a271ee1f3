// Timestamps for the hot path. performance.now() costs ~80 ns on the machines we target, more
// than everything else an event does, so each event first reads a coarse clock that a worker
// thread updates every ~0.2 ms in shared memory (a plain memory read). Only when that value
// has moved since the last precise reading does the event pay for performance.now(). The
// first event after any pause therefore gets an exact time; events packed within one tick
// share the time of the first (error below one tick).
import { Worker } from 'node:worker_threads';

export interface CoarseClock {
  /** Written by the worker; read by the hot path. */
  readonly coarse: Float64Array;
  stop(): void;
}

export function startCoarseClock(workerFile: string, tickUs: number): CoarseClock {
  const buffer = new SharedArrayBuffer(16);
  const coarse = new Float64Array(buffer, 0, 1);
  coarse[0] = performance.now();
  const worker = new Worker(workerFile, {
    workerData: { buffer, tickMs: tickUs / 1000 },
    // The worker must not run the preload again (execArgv would pass --import on).
    execArgv: [],
    env: {},
    stdout: false,
    stderr: false,
  });
  worker.unref();
  worker.on('error', () => {
    // Without the ticker every event reads the precise clock: slower, never wrong.
    coarse[0] = Number.NaN;
  });
  return {
    coarse,
    stop: () => void worker.terminate(),
  };
}
