// The recorder's clock: a 32-bit word in shared memory that a helper thread rewrites every
// tick with the microseconds since the clock's origin (wrapping every 71 minutes). The hot path
// stamps an event with one integer load; reading performance.now() costs about 80 ns on the
// machines we measured, and a branch that reads it only when the tick changed made the hot
// functions too big for V8 to inline (measured: the promise-heavy benchmark ran 2x slower in
// its steady state whenever they were not inlined).
//
// Timestamps are therefore as fine as the tick (0.2 ms by default; 1 ms while no thread writes
// events: recorder-worker.ts, then the first event is up to 1 ms early). The origin pairs a
// process.hrtime reading with a performance.now() reading taken together, so clock words map
// back to the performance.now() timeline that the rest of the trace uses.
import { setInterval } from 'node:timers';
import { Worker } from 'node:worker_threads';
import { ownWorker } from './own-workers.js';

export interface SharedClock {
  /**
   * [0]: the clock word, only ever moved forward (tick). [1]: never changes (a ticker
   * thread sleeps on it). [2]: 1 once a ticker thread (startTickerThread) runs. [3]: 1 once
   * the thread that owns the clock stopped recording (ClockWord.Retired): a recorder that
   * ticks it for that thread lets it go.
   */
  words: Int32Array;
  originNs: bigint;
  /** performance.now() at originNs. */
  originMs: number;
}

/** Words of a clock's shared memory other threads look at. */
export const enum ClockWord {
  Retired = 3,
}

/** `buffer` may be larger (the recorder keeps its state after the clock words: runtime.ts). */
export function createClock(buffer = new SharedArrayBuffer(16)): SharedClock {
  const words = new Int32Array(buffer, 0, 4);
  const originNs = process.hrtime.bigint();
  const originMs = performance.now();
  return { words, originNs, originMs };
}

/**
 * A clock over memory another thread made (a worker's, handed over by the thread that started
 * it, whose recorder ticks it): same origin in process.hrtime, and this thread's own
 * performance.now() at that origin (each thread's performance.now() starts at its own start).
 */
export function clockOver(buffer: SharedArrayBuffer, originNs: bigint): SharedClock {
  const words = new Int32Array(buffer, 0, 4);
  const sinceOriginMs = Number(process.hrtime.bigint() - originNs) / 1e6;
  return { words, originNs, originMs: performance.now() - sinceOriginMs };
}

/** The clock word for now: what the ticking thread writes (startTickerThread embeds its source). */
export function clockWord(originNs: bigint): number {
  // An Int32Array store keeps the low 32 bits: the word wraps, readers unwrap it (msOfWord).
  return Number(process.hrtime.bigint() - originNs) / 1000;
}

/**
 * Moves the clock word to now, never back. More than one thread ticks it: the helper thread
 * every tick, and the main thread when a timer or I/O callback starts, so that times after a
 * wake-up are exact even when the helper thread has not been scheduled for a while (a loaded
 * machine).
 */
export function tick(clock: Pick<SharedClock, 'words' | 'originNs'>): void {
  advanceClockWord(clock.words, clockWord(clock.originNs) | 0);
}

/** Moves the word of a clock with the same origin to `word` (a word for now), never back. */
export function advanceClockWord(words: Int32Array, word: number): void {
  for (;;) {
    const seen = Atomics.load(words, 0);
    // Compared as a 32-bit difference: the word wraps.
    if (((word - seen) | 0) <= 0 || Atomics.compareExchange(words, 0, seen, word) === seen) return;
  }
}

/**
 * Ticks the clock from this thread every millisecond, when no helper thread can: coarser, and
 * standing still during synchronous stretches, but never out of order. Returns the stop function.
 */
export function tickFromThisThread(clock: Pick<SharedClock, 'words' | 'originNs'>): () => void {
  tick(clock);
  const timer = setInterval(() => tick(clock), 1);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * The performance.now() time of a clock word read within 35 minutes of now: the word only
 * holds the low 32 bits of the microsecond count, so the rest comes from the current time.
 */
export function msOfWord(clock: SharedClock, word: number): number {
  const nowUs = Math.floor(clockWord(clock.originNs));
  const behindUs = (nowUs - word) | 0;
  return clock.originMs + (nowUs - behindUs) / 1000;
}

/**
 * A thread that only ticks the clock, for recording without the recorder worker (profile()).
 * Evaluated from source so that it starts the same from the TypeScript sources (vitest) and
 * from the built package.
 */
export function startTickerThread(clock: SharedClock, tickMs: number): Worker {
  const source = `
    const { workerData } = require('node:worker_threads');
    const { buffer, originNs, tickMs } = workerData;
    const words = new Int32Array(buffer);
    const tick = ${advanceClockWord.toString()};
    const clockWord = ${clockWord.toString()};
    const now = () => clockWord(originNs) | 0;
    tick(words, now());
    Atomics.store(words, 2, 1);
    Atomics.notify(words, 2);
    for (;;) {
      tick(words, now());
      Atomics.wait(words, 1, 0, tickMs);
    }`;
  const worker = ownWorker(new Worker(source, {
    eval: true,
    workerData: { buffer: clock.words.buffer, originNs: clock.originNs, tickMs },
    execArgv: [],
    env: {},
    // Not piped into this process's stdout and stderr (which would create them).
    stdout: true,
    stderr: true,
  }));
  worker.unref();
  return worker;
}

/** Blocks until a thread from startTickerThread runs, for at most `ms`; false if it never came. */
export function waitForTicker(clock: SharedClock, ms: number): boolean {
  if (Atomics.load(clock.words, 2) !== 1) Atomics.wait(clock.words, 2, 0, ms);
  return Atomics.load(clock.words, 2) === 1;
}
