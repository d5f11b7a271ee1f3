// Hands full event chunks from the profiled (main) thread to the recorder worker through shared
// memory: the main thread only fills typed arrays and flips a flag; the worker does the file
// writes. Also provides the coarse clock the worker ticks (see runtime.ts for why).
//
// If the worker cannot start, chunks are written synchronously by the main thread instead:
// slower, never wrong.
import { Worker } from 'node:worker_threads';
import { CHUNKS, Ctrl, F64, PIPE_BYTES, pipeViews, type PipeViews } from './event-pipe-layout.js';
import type { RuntimeSink } from './runtime.js';

/** How long the main thread waits for the worker to free a chunk before writing it itself. */
const BACKPRESSURE_WAIT_MS = 2000;

export interface EventPipe extends RuntimeSink {
  coarseClock: Float64Array;
  /** Waits until the worker has written every ready chunk (at exit), then stops it. */
  close(): void;
  dropped(): number;
}

export function startEventPipe(options: {
  workerFile: string;
  tracePath: string;
  tickUs: number;
  maxBytes: number;
  startBytes: number;
  /** Synchronous fallback: write one chunk now (also used if the worker dies). */
  writeChunk: (base: number, events: Int32Array, count: number) => void;
}): EventPipe {
  const buffer = new SharedArrayBuffer(PIPE_BYTES);
  const views: PipeViews = pipeViews(buffer);
  const { ctrl, f64, counts, chunks } = views;
  f64[F64.clock] = performance.now();
  let workerOk = true;
  let current = 0;
  let worker: Worker | null = null;
  try {
    worker = new Worker(options.workerFile, {
      workerData: { buffer, tickMs: options.tickUs / 1000, tracePath: options.tracePath, maxBytes: options.maxBytes, startBytes: options.startBytes },
      // The worker must not run the preload again (execArgv would pass --import on).
      execArgv: [],
      env: {},
      stdout: false,
      stderr: false,
    });
    worker.unref();
    worker.on('error', () => {
      workerOk = false;
      f64[F64.clock] = Number.NaN;
    });
    worker.on('exit', () => {
      workerOk = false;
      f64[F64.clock] = Number.NaN;
    });
  } catch {
    workerOk = false;
  }

  /** Writes every chunk the worker has not taken yet, in order, from this thread. */
  const writeLeftovers = () => {
    for (let i = 1; i <= CHUNKS; i++) {
      const slot = (current + i) % CHUNKS;
      if (Atomics.load(ctrl, Ctrl.state + slot) === 1) {
        options.writeChunk(f64[F64.base + slot]!, chunks[slot]!, counts[slot]!);
        Atomics.store(ctrl, Ctrl.state + slot, 0);
      }
    }
  };

  return {
    coarseClock: f64.subarray(F64.clock, F64.clock + 1),
    initialEvents: chunks[0]!,
    flushEvents(base, events, count) {
      if (!workerOk) {
        options.writeChunk(base, events, count);
        return events;
      }
      f64[F64.base + current] = base;
      counts[current] = count;
      // No notify: the worker looks at least every tick (0.2 ms), and a futex wake per chunk
      // showed up in the profiled thread's own profile.
      Atomics.store(ctrl, Ctrl.state + current, 1);
      current = (current + 1) % CHUNKS;
      const slot = Ctrl.state + current;
      if (Atomics.load(ctrl, slot) !== 0) {
        // The worker is behind: wait for it, and write ourselves if it never comes.
        if (Atomics.wait(ctrl, slot, 1, BACKPRESSURE_WAIT_MS) === 'timed-out') {
          workerOk = false;
          writeLeftovers();
        }
      }
      return chunks[current]!;
    },
    close() {
      if (workerOk && Atomics.load(ctrl, Ctrl.alive) === 1) {
        Atomics.store(ctrl, Ctrl.stop, 1);
        Atomics.add(ctrl, Ctrl.wake, 1);
        Atomics.notify(ctrl, Ctrl.wake);
        Atomics.wait(ctrl, Ctrl.alive, 1, BACKPRESSURE_WAIT_MS);
      }
      // Whatever the worker did not get to (it died, or never started).
      writeLeftovers();
      worker?.terminate().catch(() => {});
    },
    dropped: () => Atomics.load(ctrl, Ctrl.dropped),
  };
}
