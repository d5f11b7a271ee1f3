// The event-loop lane: when the single thread was running task code. The union of every task's
// run segments, as disjoint sorted intervals, with prefix sums of busy time (so the viewer gets the
// busy share of any pixel in O(log n)) and, per interval, the deepest task that ran in it.

export interface RunSegments {
  start: Float64Array;
  end: Float64Array;
  /** Display index of each segment's task, and its depth. */
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

export function eventLoopLane(runs: RunSegments): EventLoopLane {
  const n = runs.count;
  // Union by sweeping sorted starts against sorted ends: busy while more have started than ended.
  const starts = runs.start.slice(0, n).sort();
  const ends = runs.end.slice(0, n).sort();
  const outStart: number[] = [];
  const outEnd: number[] = [];
  let open = 0;
  let i = 0;
  let j = 0;
  while (i < n || j < n) {
    if (i < n && starts[i]! <= ends[j]!) {
      if (open === 0) {
        // Touching intervals merge into one.
        if (outEnd.length > 0 && outEnd[outEnd.length - 1] === starts[i]) outEnd.pop();
        else outStart.push(starts[i]!);
      }
      open++;
      i++;
    } else {
      open--;
      if (open === 0) outEnd.push(ends[j]!);
      j++;
    }
  }
  const m = outStart.length;
  const start = Float64Array.from(outStart);
  const end = Float64Array.from(outEnd);
  const cum = new Float64Array(m + 1);
  for (let k = 0; k < m; k++) cum[k + 1] = cum[k]! + (end[k]! - start[k]!);

  const owner = new Int32Array(m).fill(-1);
  const ownerDepth = new Int32Array(m).fill(-1);
  const tasks = new Int32Array(m);
  const lastTask = new Int32Array(m).fill(-1);
  for (let s = 0; s < n; s++) {
    const k = lastAtOrBefore(start, runs.start[s]!);
    if (k < 0) continue;
    const task = runs.task[s]!;
    if (lastTask[k] !== task) {
      lastTask[k] = task;
      tasks[k]!++;
    }
    if (runs.depth[s]! > ownerDepth[k]!) {
      ownerDepth[k] = runs.depth[s]!;
      owner[k] = task;
    }
  }
  return { start, end, cum, owner, tasks, busyMs: cum[m]! };
}
