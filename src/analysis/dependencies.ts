// Which task awaited which. The trace has no direct record of it (an await only records its
// line and when it suspended and resumed); it is inferred by the rule of waits.ts: a wait of
// task T from a to b depends on T's child tasks that ended inside [a, b] when the last of them to
// end is what resumed T (just before b). docs/analysis.md has the rule, the shapes it
// recognizes and its limits.
//
//   - `await child()` and `return child()`: one child ended inside the wait and resumed it: 'await'.
//   - Promise.all / allSettled: several children ended inside the wait, the last resumed it: 'all'.
//   - Promise.race / any: the child that resumed T ended while siblings started in the same run
//     segment were still running: 'race' (the winner resumed; the losers are listed with
//     settled: false; under `any`, earlier rejections are listed with settled: true).
//   - sequential awaits: one 'await' per wait segment, in order.
//
// The edges are columns, in the order of the waits (tasks in order, each task's waits in order).
import { SEGMENT_WAIT, type TraceModel } from '../model/types.js';
import { i32 as growI32, u8 as growU8 } from '../model/growable.js';
import { IntList } from './int-list.js';
import { lowerBound } from './search.js';
import { explain, resumerTask, segmentStartedBefore, type WaitIndex } from './waits.js';
import type { Work } from './work.js';

export type DependencyKind = 'await' | 'all' | 'race';
export const DEPENDENCY_KINDS: readonly DependencyKind[] = ['await', 'all', 'race'];

export interface Dependencies {
  count: number;
  /** The task that waited and the task it waited for (task indices). */
  waiter: Int32Array;
  task: Int32Array;
  /** Index into DEPENDENCY_KINDS. */
  kind: Uint8Array;
  /** The wait segment (its line, start and end are the edge's). */
  segment: Int32Array;
  /** This task's end is what let the waiter go on (the last of an 'all', the winner of a 'race'). */
  resumed: Uint8Array;
  /** 0 for the losers of a race: still running when the waiter went on. */
  settled: Uint8Array;
}

/** One edge as an object (for tests and small consumers). */
export interface Dependency {
  waiterId: number;
  taskId: number;
  kind: DependencyKind;
  line: number;
  /** Index of the wait in the waiter's segments. */
  segment: number;
  waitStartMs: number;
  waitEndMs: number;
  resumed: boolean;
  settled: boolean;
}

/** Receives the edges of one wait, one call per edge. */
export interface EdgeSink {
  edge(task: number, kind: number, resumed: boolean, settled: boolean): void;
}

const AWAIT = 0;
const ALL = 1;
const RACE = 2;

export function findDependencies(index: WaitIndex, work: Work): Dependencies {
  const model = index.model;
  const T = model.columns.tasks;
  const S = model.columns.segments;
  const waiter = growI32();
  const task = growI32();
  const kind = growU8();
  const segment = growI32();
  const resumed = growU8();
  const settled = growU8();
  let currentTask = 0;
  let currentSegment = 0;
  const sink: EdgeSink = {
    edge(c, k, isResumed, isSettled) {
      waiter.push(currentTask);
      task.push(c);
      kind.push(k);
      segment.push(currentSegment);
      resumed.push(isResumed ? 1 : 0);
      settled.push(isSettled ? 1 : 0);
    },
  };
  for (let t = 0; t < T.count; t++) {
    work.progress(t, T.count);
    if (T.childOff[t + 1] === T.childOff[t]) continue;
    currentTask = t;
    for (let s = T.segOff[t]!; s < T.segOff[t + 1]!; s++) {
      work.add();
      if (S.kind[s] !== SEGMENT_WAIT) continue;
      currentSegment = s;
      waitDependencies(index, t, s, work, sink);
    }
  }
  return {
    count: waiter.length,
    waiter: waiter.finish(),
    task: task.finish(),
    kind: kind.finish(),
    segment: segment.finish(),
    resumed: resumed.finish(),
    settled: settled.finish(),
  };
}

/** The children that ended inside the wait being explained, and the race's losers (reused: one wait at a time). */
const scratchEnded = new IntList();
const scratchLosers = new IntList();

/** The edges of wait segment `s` of task `t`, to `sink` (none when no child task resumed it). */
export function waitDependencies(index: WaitIndex, t: number, s: number, work: Work, sink: EdgeSink): void {
  const model = index.model;
  const T = model.columns.tasks;
  const S = model.columns.segments;
  const childrenEnded = scratchEnded;
  childrenEnded.clear();
  const code = explain(index, t, s, S.end[s]!, work, childrenEnded);
  // The same question as resumerCode's: keep the answer for the passes after this one.
  index.resumerCode[s] = code;
  const winner = resumerTask(code);
  if (winner < 0) return;

  // Siblings started in the same run of `t` as the winner and still running when it resumed, by
  // event order.
  const created = creationSegment(model, t, T.startSeq[winner]!, s);
  const batchStart = created >= 0 ? S.startSeq[created]! : 0;
  const batchEnd = created >= 0 ? S.endSeq[created]! : 0;
  const losers = scratchLosers;
  losers.clear();
  if (created >= 0) {
    // Children are in the order they started: look only at those started during that run.
    const children = T.children;
    const startSeq = T.startSeq;
    let i = T.childOff[t]!;
    let hi = T.childOff[t + 1]!;
    const end = hi;
    while (i < hi) {
      const mid = (i + hi) >>> 1;
      if (startSeq[children[mid]!]! < batchStart) i = mid + 1;
      else hi = mid;
    }
    const waitStart = S.startSeq[s]!;
    const waitEnd = S.endSeq[s]!;
    for (; i < end; i++) {
      const c = children[i]!;
      work.add();
      const start = startSeq[c]!;
      if (start < batchStart || start > batchEnd || start > waitStart) break;
      if (c !== winner && (T.endSeq[c]! < 0 || T.endSeq[c]! > waitEnd)) losers.push(c);
    }
  }

  if (losers.length > 0) {
    for (let k = 0; k < childrenEnded.length; k++) {
      const c = childrenEnded.at(k);
      if (c !== winner && T.startSeq[c]! >= batchStart && T.startSeq[c]! <= batchEnd) sink.edge(c, RACE, false, true);
    }
    sink.edge(winner, RACE, true, true);
    for (let k = 0; k < losers.length; k++) sink.edge(losers.at(k), RACE, false, false);
    return;
  }
  const k = childrenEnded.length > 1 ? ALL : AWAIT;
  for (let j = 0; j < childrenEnded.length; j++) {
    const c = childrenEnded.at(j);
    sink.edge(c, k, c === winner, true);
  }
}

/**
 * The run segment of task `t` during which the event `seq` (a child's start) happened, or -1.
 * `before`: a segment of t at or after that moment, for the usual case (the run just before it).
 */
export function creationSegment(model: TraceModel, t: number, seq: number, before = -1): number {
  const S = model.columns.segments;
  const lo = model.columns.tasks.segOff[t]!;
  const guess = before - 1;
  const s = guess >= lo && S.startSeq[guess]! <= seq && S.startSeq[guess + 1]! > seq ? guess : segmentStartedBefore(model, t, seq + 1);
  return s >= 0 && S.kind[s] !== SEGMENT_WAIT && seq <= S.endSeq[s]! ? s : -1;
}

/** Edge k as an object. */
export function dependencyObject(model: TraceModel, d: Dependencies, k: number): Dependency {
  const T = model.columns.tasks;
  const S = model.columns.segments;
  const s = d.segment[k]!;
  const waiter = d.waiter[k]!;
  return {
    waiterId: T.id[waiter]!,
    taskId: T.id[d.task[k]!]!,
    kind: DEPENDENCY_KINDS[d.kind[k]!]!,
    line: S.line[s]!,
    segment: s - T.segOff[waiter]!,
    waitStartMs: S.start[s]!,
    waitEndMs: S.end[s]!,
    resumed: d.resumed[k] === 1,
    settled: d.settled[k] === 1,
  };
}

/** The edges whose waiter is task `t` (they are sorted by wait segment, so by waiter). */
export function edgesOfWaiter(model: TraceModel, d: Dependencies, t: number): [from: number, to: number] {
  const T = model.columns.tasks;
  const from = lowerBound(d.segment, T.segOff[t]!);
  return [from, lowerBound(d.segment, T.segOff[t + 1]!, from)];
}

/** Which tasks some task awaited (including the losers of a race): one flag per task. */
export function awaitedTasks(model: TraceModel, d: Dependencies): Uint8Array {
  const awaited = new Uint8Array(model.columns.tasks.count);
  for (let k = 0; k < d.count; k++) awaited[d.task[k]!] = 1;
  return awaited;
}
