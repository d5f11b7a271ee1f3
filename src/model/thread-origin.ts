// One time axis for every thread. Each thread's records are on its own performance.now() clock
// (its own timeOrigin), and each Meta says how that clock sits on the monotonic clock that all
// threads of a process share (hrOriginMs: performance.now() + hrOriginMs = process.hrtime in ms,
// both read together when the thread started recording). So the main thread's time zero, read on
// a worker's clock, is exact to the microsecond: no offset is guessed from message round trips.
import type { TraceMeta } from '../../contract/index.js';
import type { RawTrace } from '../trace/raw-trace.js';

/** The main thread's time zero (on its own clock) on the clock of the thread whose Meta is `thread`. */
export function threadOrigin(mainOriginMs: number, main: Pick<TraceMeta, 'hrOriginMs'>, thread: Pick<TraceMeta, 'hrOriginMs'>): number {
  return mainOriginMs + main.hrOriginMs - thread.hrOriginMs;
}

/** Time zero of a trace on its own clock: the script's first line, not the profiler's own start-up. */
export function timeZeroOf(raw: Pick<RawTrace, 'scriptStartMs' | 'meta'>): number {
  return raw.scriptStartMs ?? raw.meta.originMs;
}

/**
 * Time zero of each trace of `others` (worker threads, child processes) on its own clock: the
 * main thread's. hrOriginMs is on the system's monotonic clock, which every process shares too.
 */
export function threadOrigins(main: Pick<RawTrace, 'scriptStartMs' | 'meta'>, others: readonly Pick<RawTrace, 'meta'>[]): number[] {
  const zero = timeZeroOf(main);
  return others.map((other) => threadOrigin(zero, main.meta, other.meta));
}
