// Tasks in flight over time, on typed arrays: the same step function as analysis/concurrency.ts
// (ends before starts at equal times), without per-task objects, for traces of millions of tasks.
import type { Arena, ArenaRequest } from './arena.js';

export interface ConcurrencyColumns {
  times: Float64Array;
  values: Int32Array;
  maxTasks: number;
  meanTasks: number;
}

export function concurrencySpace(n: number): ArenaRequest[] {
  return [[8, n], [8, n], [8, 2 * n], [4, 2 * n]];
}

export function concurrencyColumns(start: Float64Array, end: Float64Array, fromMs: number, toMs: number, arena: Arena): ConcurrencyColumns {
  const n = start.length;
  const starts = arena.f64(n);
  starts.set(start);
  starts.sort();
  const ends = arena.f64(n);
  ends.set(end);
  ends.sort();
  const timesAll = arena.f64(2 * n);
  const valuesAll = arena.i32(2 * n);
  let k = 0;
  let inFlight = 0;
  let maxTasks = 0;
  let area = 0;
  let last = fromMs;
  let i = 0;
  let j = 0;
  while (i < n || j < n) {
    const takeEnd = j < n && (i >= n || ends[j]! <= starts[i]!);
    const at = takeEnd ? ends[j++]! : starts[i++]!;
    area += inFlight * Math.max(0, Math.min(at, toMs) - Math.max(last, fromMs));
    last = Math.max(last, at);
    inFlight += takeEnd ? -1 : 1;
    if (inFlight > maxTasks) maxTasks = inFlight;
    if (k > 0 && timesAll[k - 1] === at) valuesAll[k - 1] = inFlight;
    else {
      timesAll[k] = at;
      valuesAll[k] = inFlight;
      k++;
    }
  }
  const span = toMs - fromMs;
  return { times: timesAll.subarray(0, k), values: valuesAll.subarray(0, k), maxTasks, meanTasks: span > 0 ? area / span : 0 };
}
