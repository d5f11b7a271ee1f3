// Hands full event chunks from the profiled (main) thread to the recorder worker through shared
// memory: the main thread only fills typed arrays and flips a flag; the worker does the file
// writes, and ticks the recorder's clock (clock.ts).
//
// If the worker cannot start or dies, chunks are written synchronously by the main thread
// instead, and the main thread ticks the clock from a 1 ms interval: slower and coarser (no
// ticks during a synchronous stretch), never wrong about order.
import { constants as osConstants } from 'node:os';
import { Worker, isMainThread } from 'node:worker_threads';
import { tick, tickFromThisThread, type SharedClock } from './clock.js';
import { CHUNKS, Ctrl, F64, PIPE_BYTES, partSeq, pipeViews, type PipeViews } from './event-pipe-layout.js';
import type { RuntimeSink } from './runtime.js';
import { ownWorker } from './own-workers.js';

/** How long the main thread waits for the worker to free a chunk before writing it itself. */
const BACKPRESSURE_WAIT_MS = 2000;

export interface EventPipe extends RuntimeSink {
  /** Blocks until the worker runs (and so ticks the clock), for at most `ms`; false if it never came. */
  waitForWorker(ms: number): boolean;
  /** Waits until the worker has written every ready chunk (at exit), then stops it. */
  close(): void;
  /** Recording starts (after the runtime's warm-up): the worker may write the chunk being filled. */
  arm(): void;
  dropped(): number;
  /** Null while the worker's writes succeed; then why it stopped writing (it keeps the clock ticking). */
  writeFailure(): string | null;
  /**
   * Has the recorder thread tick another thread's clock (a worker's: shared-clock.ts) with this
   * one; false if it cannot (it is gone, or does not tick at full rate itself).
   */
  adoptClock(buffer: SharedArrayBuffer): boolean;
}

export function startEventPipe(options: {
  workerFile: string;
  tracePath: string;
  clock: SharedClock;
  tickUs: number;
  maxBytes: number;
  startBytes: number;
  /** `run --keep`: the worker follows the trace's path to each new file the CLI puts there. */
  followRotation?: boolean;
  /**
   * Another thread's recorder ticks this clock (shared-clock.ts): this recorder wakes every
   * few milliseconds, ticks it only as a stand-in (when that one does not), and adopts no clocks of its own.
   */
  clockTickedElsewhere?: boolean;
  /**
   * Synchronous fallback: write events [from, count) of a chunk now (also used if the worker
   * dies); seq numbers the record (partSeq: the chunk's number and its part).
   */
  writeChunk: (base: number, events: Int32Array, from: number, count: number, seq: number) => void;
}): EventPipe {
  const buffer = new SharedArrayBuffer(PIPE_BYTES);
  const views: PipeViews = pipeViews(buffer);
  const { ctrl, f64, counts, seqs, written, chunks } = views;
  Atomics.store(ctrl, Ctrl.current, -1);
  /**
   * Chunks are numbered when they start to fill (parts of one are written before it is full), so
   * the reader can tell a lost or doubled one.
   */
  seqs[0] = 0;
  let nextSeq = 1;
  const { clock } = options;
  tick(clock);
  let workerOk = true;
  let stopFallbackTicker: (() => void) | null = null;
  let closed = false;
  const workerLost = () => {
    workerOk = false;
    if (stopFallbackTicker === null && !closed) stopFallbackTicker = tickFromThisThread(clock);
  };
  let current = 0;
  let worker: Worker | null = null;
  try {
    worker = ownWorker(new Worker(options.workerFile, {
      workerData: {
        buffer,
        clockBuffer: clock.words.buffer,
        originNs: clock.originNs,
        originMs: clock.originMs,
        // A worker thread's kernel thread id is not known to JavaScript: no CPU-wait samples there.
        mainTid: isMainThread ? process.pid : -1,
        tickMs: options.tickUs / 1000,
        standIn: options.clockTickedElsewhere === true,
        tracePath: options.tracePath,
        maxBytes: options.maxBytes,
        startBytes: options.startBytes,
        followRotation: options.followRotation === true,
      },
      // The worker must not run the preload again (execArgv would pass --import on).
      execArgv: [],
      env: {},
      // Not piped into this process's stdout and stderr, which the program may not have touched
      // yet (process.getActiveResourcesInfo() would show them).
      stdout: true,
      stderr: true,
    }));
    worker.unref();
    worker.on('error', workerLost);
    worker.on('exit', workerLost);
  } catch {
    workerLost();
  }

  /** Writes every chunk the worker has not taken yet, in order, from this thread. */
  const writeLeftovers = () => {
    for (let i = 1; i <= CHUNKS; i++) {
      const slot = (current + i) % CHUNKS;
      if (Atomics.load(ctrl, Ctrl.state + slot) === 1) {
        options.writeChunk(f64[F64.base + slot]!, chunks[slot]!, written[slot * 2]!, counts[slot]!, partSeq(seqs[slot]!, written[slot * 2 + 1]!, true));
        written[slot * 2] = 0;
        written[slot * 2 + 1] = 0;
        Atomics.store(ctrl, Ctrl.state + slot, 0);
      }
    }
  };

  return {
    initialEvents: chunks[0]!,
    waitForWorker(ms) {
      if (workerOk && Atomics.load(ctrl, Ctrl.alive) !== 1) Atomics.wait(ctrl, Ctrl.alive, 0, ms);
      if (Atomics.load(ctrl, Ctrl.alive) === 1) return true;
      // This thread ticks the clock from now on.
      worker?.terminate().catch(() => {});
      workerLost();
      return false;
    },
    flushEvents(base, events, count) {
      if (!workerOk) {
        const slot = current;
        options.writeChunk(base, events, written[slot * 2]!, count, partSeq(seqs[slot]!, written[slot * 2 + 1]!, true));
        written[slot * 2] = 0;
        written[slot * 2 + 1] = 0;
        seqs[slot] = nextSeq++;
        return events;
      }
      f64[F64.base + current] = base;
      counts[current] = count;
      // No notify: the worker looks at least every tick (0.2 ms while events come; a full ring
      // wakes it, below), and a futex wake per chunk showed up in the profiled thread's own profile.
      Atomics.store(ctrl, Ctrl.state + current, 1);
      current = (current + 1) % CHUNKS;
      const slot = Ctrl.state + current;
      if (Atomics.load(ctrl, slot) !== 0) {
        // The worker is behind: wake it (it may be sleeping out a slow tick), wait for it, and
        // write ourselves if it never comes.
        Atomics.add(ctrl, Ctrl.wake, 1);
        Atomics.notify(ctrl, Ctrl.wake);
        if (Atomics.wait(ctrl, slot, 1, BACKPRESSURE_WAIT_MS) === 'timed-out') {
          workerLost();
          writeLeftovers();
        }
      }
      seqs[current] = nextSeq++;
      if (Atomics.load(ctrl, Ctrl.current) >= 0) Atomics.store(ctrl, Ctrl.current, current);
      return chunks[current]!;
    },
    close() {
      closed = true;
      if (workerOk && Atomics.load(ctrl, Ctrl.alive) === 1) {
        Atomics.store(ctrl, Ctrl.stop, 1);
        Atomics.add(ctrl, Ctrl.wake, 1);
        Atomics.notify(ctrl, Ctrl.wake);
        Atomics.wait(ctrl, Ctrl.alive, 1, BACKPRESSURE_WAIT_MS);
      }
      // Whatever the worker did not get to (it died, or never started).
      writeLeftovers();
      stopFallbackTicker?.();
      worker?.terminate().catch(() => {});
    },
    dropped: () => Atomics.load(ctrl, Ctrl.dropped),
    arm() {
      Atomics.store(ctrl, Ctrl.current, current);
    },
    adoptClock(clockBuffer) {
      if (!workerOk || worker === null || closed || options.clockTickedElsewhere === true) return false;
      try {
        worker.postMessage(clockBuffer);
      } catch {
        return false;
      }
      // After the message is queued: the worker takes one message per count it sees.
      Atomics.add(ctrl, Ctrl.adoptedClocks, 1);
      return true;
    },
    writeFailure() {
      const errno = Atomics.load(ctrl, Ctrl.writeFailed);
      if (errno === 0) return null;
      const name = Object.entries(osConstants.errno).find(([, n]) => n === errno)?.[0];
      return `the recorder thread could not write the trace (${name ?? 'unknown error'})`;
    },
  };
}
