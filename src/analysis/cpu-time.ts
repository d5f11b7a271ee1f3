// The main thread's time on and waiting for a CPU between two moments, from the recorder's
// scheduler samples (cumulative ns, about every millisecond), interpolated between samples.
// Present on Linux when the recorder writes them; null otherwise.
import type { SchedSeries } from '../model/types.js';
import { upperBound } from './search.js';

/** The cumulative value of `values` at time t (ms), interpolated; clamped to the samples' span. */
function cumulativeAt(times: Float64Array, values: Float64Array, t: number): number {
  const n = times.length;
  if (t <= times[0]!) return values[0]!;
  if (t >= times[n - 1]!) return values[n - 1]!;
  const i = upperBound(times, t) - 1;
  const span = times[i + 1]! - times[i]!;
  const share = span > 0 ? (t - times[i]!) / span : 0;
  return values[i]! + (values[i + 1]! - values[i]!) * share;
}

export interface CpuTime {
  /** Ms the thread waited, runnable, for a CPU during [fromMs, toMs]. */
  waitingMs(fromMs: number, toMs: number): number;
  /** Ms the thread ran on a CPU during [fromMs, toMs]. */
  runningMs(fromMs: number, toMs: number): number;
  /** Whether the samples cover [fromMs, toMs]. */
  covers(fromMs: number, toMs: number): boolean;
}

export function cpuTime(sched: SchedSeries): CpuTime | null {
  const { times, runNs, waitNs } = sched;
  if (times.length < 2) return null;
  const between = (values: Float64Array, from: number, to: number) =>
    to > from ? Math.max(0, cumulativeAt(times, values, to) - cumulativeAt(times, values, from)) / 1e6 : 0;
  return {
    waitingMs: (from, to) => between(waitNs, from, to),
    runningMs: (from, to) => between(runNs, from, to),
    covers: (from, to) => times[0]! <= from && to <= times[times.length - 1]!,
  };
}
