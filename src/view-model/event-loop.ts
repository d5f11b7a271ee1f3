// The event-loop lane: when the single thread was running task code. The union of every task's
// run segments, as disjoint sorted intervals, with prefix sums of busy time (so the viewer gets the
// busy share of any pixel in O(log n)) and, per interval, the task that ran most of it (its run
// time there, weighted towards deeper tasks: a parent's run includes its children's).
import type { Arena, ArenaRequest } from './arena.js';

export interface RunSegments {
  start: Float64Array;
  end: Float64Array;
  /** Display index of each segment's task (segments of one task are consecutive), and its depth. */
  task: Int32Array;
  depth: Uint16Array;
  count: number;
}

export interface EventLoopLane {
  start: Float64Array;
  end: Float64Array;
  cum: Float64Array;
  owner: Int32Array;
  tasks: Int32Array;
  busyMs: number;
}

export function eventLoopSpace(runCount: number): ArenaRequest[] {
  return [
    [8, runCount], // sorted starts
    [8, runCount], // sorted ends
    [8, runCount], // lane starts
    [8, runCount], // lane ends
    [8, runCount + 1], // cum
    [4, runCount], // owner
    [8, runCount], // best weight per interval
    [8, runCount], // current weight per interval
    [4, runCount], // tasks per interval
    [4, runCount], // last task per interval
  ];
}

/** Index of the last element <= value in a sorted array, or -1. */
function lastAtOrBefore(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

export function eventLoopLane(runs: RunSegments, arena: Arena): EventLoopLane {
  const n = runs.count;
  // Union by sweeping sorted starts against sorted ends: busy while more have started than ended.
  const starts = arena.f64(n);
  starts.set(runs.start.subarray(0, n));
  starts.sort();
  const ends = arena.f64(n);
  ends.set(runs.end.subarray(0, n));
  ends.sort();
  const outStart = arena.f64(n);
  const outEnd = arena.f64(n);
  let m = 0;
  let open = 0;
  let i = 0;
  let j = 0;
  while (i < n || j < n) {
    if (i < n && starts[i]! <= ends[j]!) {
      if (open === 0) {
        // Touching intervals merge into one.
        if (m > 0 && outEnd[m - 1] === starts[i]) m--;
        else outStart[m] = starts[i]!;
      }
      open++;
      i++;
    } else {
      open--;
      if (open === 0) outEnd[m++] = ends[j]!;
      j++;
    }
  }
  const start = outStart.subarray(0, m);
  const end = outEnd.subarray(0, m);
  const cum = arena.f64(n + 1).subarray(0, m + 1);
  cum[0] = 0;
  for (let k = 0; k < m; k++) cum[k + 1] = cum[k]! + (end[k]! - start[k]!);

  const owner = arena.i32(n).subarray(0, m).fill(-1);
  const best = arena.f64(n).subarray(0, m).fill(-1);
  const current = arena.f64(n).subarray(0, m).fill(0);
  const tasks = arena.i32(n).subarray(0, m).fill(0);
  const lastTask = arena.i32(n).subarray(0, m).fill(-1);
  for (let s = 0; s < n; s++) {
    const k = lastAtOrBefore(start, runs.start[s]!);
    if (k < 0) continue;
    const task = runs.task[s]!;
    if (lastTask[k] !== task) {
      lastTask[k] = task;
      current[k] = 0;
      tasks[k]!++;
    }
    current[k]! += (runs.end[s]! - runs.start[s]!) * (1 + 0.25 * runs.depth[s]!);
    if (current[k]! > best[k]!) {
      best[k] = current[k]!;
      owner[k] = task;
    }
  }
  return { start, end, cum, owner, tasks, busyMs: cum[m]! };
}
