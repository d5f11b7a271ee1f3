// When a thread's event loop was busy, as sorted disjoint intervals [start0, end0, start1, ...]:
// its tasks' run segments, and the time covered by its profile samples that were not "(idle)".
// The samples catch work done outside any task: a pool library calling a plain function for each
// job, a message listener that is not async, garbage collection.
import type { TraceModel } from '../model/types.js';
import { unionBySweep } from '../model/interval-union.js';
import { profileFrames } from './profile-frames.js';
import type { Work } from './work.js';

export function busyIntervals(model: TraceModel, work: Work): Float64Array {
  const P = model.columns.samples;
  const frames = profileFrames(model);
  const runs = model.runningIntervals;
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < runs.length; i += 2) {
    starts.push(runs[i]!);
    ends.push(runs[i + 1]!);
  }
  for (let i = 0; i < P.count; i++) {
    work.add();
    const delta = P.deltaUs[i]!;
    const node = P.node[i]!;
    if (delta <= 0 || (node >= 0 && frames.isIdle(node))) continue;
    starts.push(P.time[i]! - delta / 1000);
    ends.push(P.time[i]!);
  }
  return closeSlivers(unionOf(starts, ends, work));
}

/** The union of intervals [starts[i], ends[i]) given in any order (those of positive length). */
export function unionOf(starts: ArrayLike<number>, ends: ArrayLike<number>, work: Work): Float64Array {
  const s: number[] = [];
  const e: number[] = [];
  for (let i = 0; i < starts.length; i++) {
    if (!(ends[i]! > starts[i]!)) continue;
    s.push(starts[i]!);
    e.push(ends[i]!);
  }
  work.add(2 * s.length * Math.log2(s.length + 2));
  return unionBySweep(Float64Array.from(s).sort(), Float64Array.from(e).sort());
}

/**
 * Gaps shorter than this are closed: consecutive samples' spans, each worked out from its own
 * delta, leave slivers of a few microseconds between them that are not idle time.
 */
const SLIVER_MS = 0.25;

function closeSlivers(union: Float64Array): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < union.length; i += 2) {
    if (out.length > 0 && union[i]! - out[out.length - 1]! <= SLIVER_MS) out[out.length - 1] = union[i + 1]!;
    else out.push(union[i]!, union[i + 1]!);
  }
  return Float64Array.from(out);
}
