// Which task awaited which. The trace has no direct record of it (an await only records its
// line and when it suspended and resumed); it is inferred from the model by the rule of
// waits.ts: a wait of task T from a to b depends on T's child tasks that ended inside [a, b]
// when the last of them to end is what resumed T (just before b). docs/analysis.md has the
// rule, the shapes it recognizes and its limits.
//
//   - `await child()` and `return child()`: one child ended inside the wait and resumed it: 'await'.
//   - Promise.all / allSettled: several children ended inside the wait, the last resumed it: 'all'.
//   - Promise.race / any: the child that resumed T ended while siblings started in the same run
//     segment were still running: 'race' (the winner resumed; the losers are listed with
//     settled: false; under `any`, earlier rejections are listed with settled: true).
//   - sequential awaits: one 'await' per wait segment, in order.
//
// Pure and browser-safe. API (the viewer draws these as arrows on hover):
//   findDependencies(model): Dependency[]          every edge, in order of the waits (cached)
//   dependenciesOf(model, taskId): { awaits, awaitedBy }
//   awaitedTaskIds(model): Set<number>             tasks some other task awaited
import type { Segment, Task, TraceModel } from '../model/types.js';
import { explainWait, hasOrder, segmentStartedBefore, TICK_MS } from './waits.js';

export type DependencyKind = 'await' | 'all' | 'race';

export interface Dependency {
  /** The task that waited. */
  waiterId: number;
  /** The task it waited for. */
  taskId: number;
  kind: DependencyKind;
  /** Line of the await, in the waiter's file. */
  line: number;
  /** Index of the wait in waiter.segments. */
  segment: number;
  waitStartMs: number;
  waitEndMs: number;
  /** This task's end is what let the waiter go on (the last of an 'all', the winner of a 'race'). */
  resumed: boolean;
  /** False for the losers of a race: still running when the waiter went on. */
  settled: boolean;
}

const cache = new WeakMap<TraceModel, Dependency[]>();

export function findDependencies(model: TraceModel): Dependency[] {
  const cached = cache.get(model);
  if (cached) return cached;
  const result: Dependency[] = [];
  for (const task of model.tasks) {
    if (task.children.length === 0) continue;
    task.segments.forEach((segment, index) => {
      if (segment.kind !== 'wait') return;
      // A loop, not push(...): a Promise.all of 200k calls is one wait with 200k edges.
      for (const dependency of waitDependencies(model, task, index)) result.push(dependency);
    });
  }
  cache.set(model, result);
  return result;
}

/** Per wait segment, its edges: the hints ask again for waits that findDependencies went through. */
const bySegment = new WeakMap<object, Dependency[]>();

/** The edges of one wait segment of `task` (empty when no child task resumed it). */
export function waitDependencies(model: TraceModel, task: Task, index: number): Dependency[] {
  const segment = task.segments[index]!;
  const cached = bySegment.get(segment);
  if (cached) return cached;
  const found = computeWaitDependencies(model, task, index);
  bySegment.set(segment, found);
  return found;
}

function computeWaitDependencies(model: TraceModel, task: Task, index: number): Dependency[] {
  const segment = task.segments[index]!;
  const { childrenEnded, resumer } = explainWait(model, task, segment.startMs, segment.endMs, segment);
  if (!resumer || resumer.kind !== 'task') return [];
  const winner = model.taskById[resumer.taskId]!;
  // One literal of one shape (spreading a base object made each edge a slow clone: seconds for 600k).
  const edge = (taskId: number, kind: DependencyKind, resumed: boolean, settled: boolean): Dependency => ({
    waiterId: task.id,
    taskId,
    kind,
    line: segment.line,
    segment: index,
    waitStartMs: segment.startMs,
    waitEndMs: segment.endMs,
    resumed,
    settled,
  });

  // Siblings started in the same run of `task` as the winner and still running when it resumed.
  // Where things start and end: event order where the model has it (exact), else times, with
  // a tick of slack.
  const ordered = hasOrder(winner) && hasOrder(segment);
  const start = ordered ? (t: Task | Segment) => t.startSeq! : (t: Task | Segment) => t.startMs;
  const end = ordered ? (t: Task | Segment) => t.endSeq ?? null : (t: Task | Segment) => t.endMs;
  const slack = ordered ? 0 : TICK_MS;
  const created = ordered ? creationSegmentInOrder(task, winner.startSeq!) : creationSegment(task, winner.startMs);
  const sameBatch = (c: Task) => created !== undefined && start(c) >= start(created) - slack && start(c) <= end(created)! + slack;
  const losers: Task[] = [];
  if (created) {
    // Children are in order of their start: look only at those started during that run.
    const children = task.children;
    let lo = 0;
    let hi = children.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (start(model.taskById[children[mid]!]!) < start(created) - slack) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < children.length; i++) {
      const c = model.taskById[children[i]!]!;
      if (!sameBatch(c) || start(c) > start(segment) + slack) break;
      const cEnd = end(c);
      if (c.id !== winner.id && (cEnd === null || cEnd > end(segment)! + slack)) losers.push(c);
    }
  }

  if (losers.length > 0) {
    const settledEarlier = childrenEnded.filter((id) => id !== winner.id && sameBatch(model.taskById[id]!));
    return [
      ...settledEarlier.map((id) => edge(id, 'race', false, true)),
      edge(winner.id, 'race', true, true),
      ...losers.map((c) => edge(c.id, 'race', false, false)),
    ];
  }
  const kind: DependencyKind = childrenEnded.length > 1 ? 'all' : 'await';
  return childrenEnded.map((id) => edge(id, kind, id === winner.id, true));
}

/** The run segment of `task` during which the event `seq` (a child's start) happened. */
function creationSegmentInOrder(task: Task, seq: number): Segment | undefined {
  const s = segmentStartedBefore(task, seq + 1);
  return s && s.kind === 'run' && s.endSeq !== undefined && seq <= s.endSeq ? s : undefined;
}

/** The run segment of `task` during which something starting at `atMs` was started. */
export function creationSegment(task: Task, atMs: number): Task['segments'][number] | undefined {
  const segments = task.segments;
  let lo = 0;
  let hi = segments.length - 1;
  let last = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (segments[mid]!.startMs <= atMs + TICK_MS) {
      last = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  // Segments that touch atMs within a tick: prefer the latest run among them.
  for (let i = last; i >= 0 && i >= last - 2; i--) {
    const s = segments[i]!;
    if (s.kind === 'run' && s.endMs >= atMs - TICK_MS) return s;
  }
  return undefined;
}

export function dependenciesOf(model: TraceModel, taskId: number): { awaits: Dependency[]; awaitedBy: Dependency[] } {
  const all = findDependencies(model);
  return { awaits: all.filter((d) => d.waiterId === taskId), awaitedBy: all.filter((d) => d.taskId === taskId) };
}

/** Ids of the tasks that some task awaited (including the losers of a race). */
export function awaitedTaskIds(model: TraceModel): Set<number> {
  return new Set(findDependencies(model).map((d) => d.taskId));
}
