// Tasks in flight over time: started and not yet ended.
import type { Task } from '../model/types.js';

export interface ConcurrencyCurve {
  /** Step function: from times[i] on, values[i] tasks are in flight. */
  times: number[];
  values: number[];
  maxTasks: number;
  /** Time-weighted mean over [fromMs, toMs]. */
  meanTasks: number;
}

export function concurrencyCurve(tasks: readonly Task[], fromMs: number, toMs: number): ConcurrencyCurve {
  const starts = tasks.map((t) => t.startMs).sort((a, b) => a - b);
  const ends = tasks.map((t) => t.endMs ?? toMs).sort((a, b) => a - b);
  const times: number[] = [];
  const values: number[] = [];
  let inFlight = 0;
  let maxTasks = 0;
  let area = 0;
  let last = fromMs;
  let i = 0;
  let j = 0;
  while (i < starts.length || j < ends.length) {
    // Ends first at equal times: a task that ends as another starts is not concurrent with it.
    const takeEnd = j < ends.length && (i >= starts.length || ends[j]! <= starts[i]!);
    const at = takeEnd ? ends[j++]! : starts[i++]!;
    area += inFlight * Math.max(0, Math.min(at, toMs) - Math.max(last, fromMs));
    last = Math.max(last, at);
    inFlight += takeEnd ? -1 : 1;
    if (inFlight > maxTasks) maxTasks = inFlight;
    if (times.length > 0 && times[times.length - 1] === at) values[values.length - 1] = inFlight;
    else {
      times.push(at);
      values.push(inFlight);
    }
  }
  const span = toMs - fromMs;
  return { times, values, maxTasks, meanTasks: span > 0 ? area / span : 0 };
}
