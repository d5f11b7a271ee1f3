// What ran inside each blocking stretch, from the tasks' run segments: the task on the CPU at
// the stretch's middle, how many awaits resumed and how many timer and I/O callbacks ran in it,
// and the longest time one task ran without a break. In a chain of awaits many tasks ran; its
// task is then the one that resumed most often there (the loop that drove the chain), not
// whichever was on the CPU at the middle.
//
// One pass over the run segments: each finds the stretches it overlaps by binary search, so the
// cost is the segments plus the overlaps (a run segment overlaps a stretch only while its task is
// on the stack, so a stretch is overlapped by at most the stack's depth of segments at a time).
import { SEGMENT_RUN, type TraceModel } from '../model/types.js';
import { isAwaitChain } from './await-chain.js';
import type { Blocking } from './results.js';
import { lowerBound, upperBound } from './search.js';
import type { Work } from './work.js';

/** Fills in taskId, awaitsResumed, resourceCallbacks and longestRunMs of stretches sorted by start, not overlapping. */
export function measureRunsInside(model: TraceModel, blocking: Blocking[], work: Work): void {
  const count = blocking.length;
  if (count === 0) return;
  const T = model.columns.tasks;
  const S = model.columns.segments;
  const R = model.columns.resources;
  const starts = Float64Array.from(blocking, (b) => b.startMs);
  const ends = Float64Array.from(blocking, (b) => b.endMs);
  const middles = Float64Array.from(blocking, (b) => (b.startMs + b.endMs) / 2);
  // The innermost task on the CPU at each middle: the run segment covering it that started last
  // (ties on the clock go to the task created last, the deeper one).
  const running = new Int32Array(count).fill(-1);
  const runningStart = new Float64Array(count).fill(Number.NEGATIVE_INFINITY);
  const topTask = new Int32Array(count).fill(-1);
  const topResumes = new Int32Array(count);
  // This task's resumes per stretch, and which stretches it touched.
  const resumes = new Int32Array(count);
  const touched: number[] = [];

  const { start: segStartOf, end: segEndOf, kind: segKind } = S;
  let units = 0;
  for (let t = 0; t < T.count; t++) {
    const lo = T.segOff[t]!;
    const hi = T.segOff[t + 1]!;
    const taskStart = T.start[t]!;
    const taskEnd = T.end[t]!;
    units += hi - lo;
    for (let s = lo; s < hi; s++) {
      if (segKind[s] !== SEGMENT_RUN) continue;
      const segStart = segStartOf[s]!;
      const segEnd = segEndOf[s]!;
      // The first stretch that ends after the segment starts.
      for (let i = upperBound(ends, segStart); i < count && starts[i]! < segEnd; i++) {
        units++;
        const b = blocking[i]!;
        const inside = Math.min(segEnd, ends[i]!) - Math.max(segStart, starts[i]!);
        if (inside > b.longestRunMs) b.longestRunMs = inside;
        // A run that follows a wait is an await resuming.
        if (s > lo && segStart >= starts[i]!) {
          b.awaitsResumed++;
          if (resumes[i]++ === 0) touched.push(i);
        }
      }
      // Stretches whose middle this segment covers.
      for (let i = lowerBound(middles, segStart); i < count && middles[i]! <= segEnd; i++) {
        units++;
        const m = middles[i]!;
        if (taskStart > m || (!Number.isNaN(taskEnd) && taskEnd < m)) continue;
        if (segStart >= runningStart[i]!) {
          running[i] = t;
          runningStart[i] = segStart;
        }
      }
    }
    if (touched.length > 0) {
      for (const i of touched) {
        if (resumes[i]! > topResumes[i]!) {
          topResumes[i] = resumes[i]!;
          topTask[i] = t;
        }
        resumes[i] = 0;
      }
      touched.length = 0;
    }
    if (units > 1 << 16) {
      work.add(units);
      units = 0;
    }
  }
  work.add(units);
  for (let r = 0; r < R.count; r++) {
    for (let c = R.cbOff[r]!; c < R.cbOff[r + 1]!; c++) {
      work.add();
      const at = R.callbacks[c]!;
      // The stretch that holds `at`, if any.
      const i = lowerBound(ends, at);
      if (i < count && starts[i]! <= at) blocking[i]!.resourceCallbacks++;
    }
  }
  blocking.forEach((b, i) => {
    b.taskId = running[i]! >= 0 ? T.id[running[i]!]! : null;
    if (isAwaitChain(b) && topTask[i]! >= 0) b.taskId = T.id[topTask[i]!]!;
  });
}
