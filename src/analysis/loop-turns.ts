// Moments the trace proves the event loop turned: a new iteration (or at least a new phase, libuv
// having taken control back) began. libuv runs a timer only once it is due at the loop's time,
// and the loop's time is only read between callbacks, never during one: so a timer that came due
// while a stretch of samples was running, and whose callback ran, ran after the code that held
// the loop had given it back. Two kinds of timers show it:
//   - the lag probe (a Lag event at t, l late): it came due at t - l;
//   - a setTimeout or setInterval tick of the script's: it was set (created, or its previous
//     tick) at some time and came due later than that.
// A stretch that began before such a timer came due and goes on after its callback is not one
// stretch: the loop turned in between (issue: CPU work in 2 ms chunks that each await
// setImmediate never lets the loop go idle, so its samples show no idle gap, yet the loop turns
// every 2 ms). Timers that were due before the stretch began (20,000 timers expiring together)
// run in the same pass and prove nothing.
import type { TraceModel } from '../model/types.js';
import type { Work } from './work.js';

/** A proof that the loop turned: a timer that came due at `dueMs` and ran at `atMs`. */
export interface LoopTurns {
  count: number;
  /** Sorted by atMs. */
  atMs: Float64Array;
  dueMs: Float64Array;
}

export function loopTurns(model: TraceModel, work: Work): LoopTurns {
  const R = model.columns.resources;
  const lag = model.lag;
  const isTimer = (r: number) => {
    const type = R.typeName(r);
    return type === 'setTimeout' || type === 'setInterval';
  };
  let count = lag.times.length;
  for (let r = 0; r < R.count; r++) if (isTimer(r)) count += R.cbOff[r + 1]! - R.cbOff[r]!;
  const at = new Float64Array(count);
  const due = new Float64Array(count);
  let n = 0;
  for (let i = 0; i < lag.times.length; i++, n++) {
    at[n] = lag.times[i]!;
    due[n] = lag.times[i]! - lag.values[i]!;
  }
  for (let r = 0; r < R.count; r++) {
    if (!isTimer(r)) continue;
    // Set at its creation, then (an interval) at each tick; it can only come due after that.
    let set = R.created[r]!;
    for (let c = R.cbOff[r]!; c < R.cbOff[r + 1]!; c++, n++) {
      const t = R.callbacks[c]!;
      at[n] = t;
      due[n] = set;
      set = t;
    }
  }
  work.add(count * Math.log2(count + 2));
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  order.sort((x, y) => at[x]! - at[y]! || x - y);
  const atMs = new Float64Array(count);
  const dueMs = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    atMs[i] = at[order[i]!]!;
    dueMs[i] = due[order[i]!]!;
  }
  return { count, atMs, dueMs };
}
