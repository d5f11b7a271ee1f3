// When a thread's event loop was busy, as sorted disjoint intervals [start0, end0, start1, ...]:
// its tasks' run segments, and the time covered by its profile samples that were not "(idle)".
// The samples catch work done outside any task: a pool library calling a plain function for each
// job, a message listener that is not async, garbage collection.
import type { TraceModel } from '../model/types.js';
import { profileFrames } from './profile-frames.js';
import type { Work } from './work.js';

export function busyIntervals(model: TraceModel, work: Work): Float64Array {
  const P = model.columns.samples;
  const frames = profileFrames(model);
  const sampled: number[] = [];
  for (let i = 0; i < P.count; i++) {
    work.add();
    const delta = P.deltaUs[i]!;
    const node = P.node[i]!;
    if (delta <= 0 || (node >= 0 && frames.isIdle(node))) continue;
    sampled.push(P.time[i]! - delta / 1000, P.time[i]!);
  }
  return unionOfIntervals([model.runningIntervals, sampled], work, SLIVER_MS);
}

/**
 * Gaps shorter than this are closed: consecutive samples' spans, each worked out from its own
 * delta, leave slivers of a few microseconds between them that are not idle time.
 */
const SLIVER_MS = 0.25;

/** The union of lists of intervals (each [start, end, start, end, ...], in any order), sorted and merged. */
export function unionOfIntervals(lists: readonly ArrayLike<number>[], work: Work, closeGapsMs = 0): Float64Array {
  let n = 0;
  for (const list of lists) n += list.length >> 1;
  const order = new Int32Array(n);
  const starts = new Float64Array(n);
  const ends = new Float64Array(n);
  let k = 0;
  for (const list of lists) {
    for (let i = 0; i + 1 < list.length; i += 2, k++) {
      starts[k] = list[i]!;
      ends[k] = list[i + 1]!;
      order[k] = k;
    }
  }
  work.add(n * Math.log2(n + 2));
  order.sort((a, b) => starts[a]! - starts[b]!);
  const out: number[] = [];
  for (let j = 0; j < n; j++) {
    const i = order[j]!;
    if (!(ends[i]! > starts[i]!)) continue;
    if (out.length > 0 && starts[i]! <= out[out.length - 1]! + closeGapsMs) out[out.length - 1] = Math.max(out[out.length - 1]!, ends[i]!);
    else out.push(starts[i]!, ends[i]!);
  }
  return Float64Array.from(out);
}
