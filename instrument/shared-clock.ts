// One clock ticker for all the recording threads of a process. A recording thread stamps events
// with a clock word that a helper thread rewrites every 0.2 ms (clock.ts); with a recorder per
// worker thread, four CPU-bound workers meant five threads each waking 5,000 times a second, on
// the same cores as the work (measured on 2 cores: the pool's work 1.20x bare, 1.11x with the
// workers' clocks ticked at 1 ms). So the thread that starts a worker makes the worker's clock
// memory itself and hands it over through worker_threads' environment data, set just around
// `new Worker` (each worker gets its own, and it never shows in what the program sees); the
// starting thread's recorder ticks it with its own clock, from the same origin. The worker's
// recorder then only writes the trace, waking once a millisecond while its thread writes events and
// every 10 ms while not, and ticks the clock itself only when the starting thread's recorder does
// not (it is gone), so that the worker's times stay right.
import { getEnvironmentData, setEnvironmentData } from 'node:worker_threads';
import { THREAD_CLOCK_KEY } from '../contract/index.js';
import { ClockWord, clockOver, type SharedClock } from './clock.js';
import { RECORDER_MEMORY_BYTES } from './runtime.js';

interface HandedClock {
  buffer: SharedArrayBuffer;
  originNs: bigint;
}

/**
 * The starting thread's side: runs `construct` (the program's `new Worker`) with a clock for the
 * new worker in the environment data, if `adopt` takes it into the recorder's ticking.
 */
export function handClockAround(originNs: bigint, adopt: (buffer: SharedArrayBuffer) => boolean): <T>(construct: () => T) => T {
  return (construct) => {
    let buffer: SharedArrayBuffer | null = null;
    try {
      const memory = new SharedArrayBuffer(RECORDER_MEMORY_BYTES);
      if (adopt(memory)) {
        setEnvironmentData(THREAD_CLOCK_KEY, { buffer: memory, originNs } satisfies HandedClock);
        buffer = memory;
      }
    } catch {
      // The worker then ticks its own clock, as a worker started without us would be timed.
    }
    let started = false;
    try {
      const worker = construct();
      started = true;
      return worker;
    } finally {
      if (buffer !== null) {
        try {
          setEnvironmentData(THREAD_CLOCK_KEY, undefined);
        } catch {
          // Nothing was set.
        }
        // A constructor that threw started no thread that would ever retire the clock.
        if (!started) retireClock(new Int32Array(buffer, 0, 4));
      }
    }
  };
}

/**
 * The worker's side: the clock the starting thread handed over, or undefined. Taken out of this
 * thread's environment data, so that the workers this one starts do not inherit it.
 */
export function takeHandedClock(): SharedClock | undefined {
  try {
    const handed = getEnvironmentData(THREAD_CLOCK_KEY) as Partial<HandedClock> | undefined;
    if (handed === undefined) return undefined;
    setEnvironmentData(THREAD_CLOCK_KEY, undefined);
    const { buffer, originNs } = handed;
    if (!(buffer instanceof SharedArrayBuffer) || buffer.byteLength < RECORDER_MEMORY_BYTES || typeof originNs !== 'bigint') return undefined;
    return clockOver(buffer, originNs);
  } catch {
    return undefined;
  }
}

/** This thread has stopped recording: whoever ticks its clock lets it go. */
export function retireClock(words: Int32Array): void {
  Atomics.store(words, ClockWord.Retired, 1);
}
