// What let a waiting task go on. The trace records when each task suspends at an await and when
// it resumes, which task started which, and the timers and I/O each task created; it does not
// record what an await was waiting for. This file infers it, and dependencies.ts and
// critical-path.ts build on it (the rule and its limits: docs/analysis.md).
//
// The rule: a wait of task T from `a` to `b` was ended by the latest of these events that falls
// inside [a, b] and is "just before" b:
//   - a child task of T ending (T awaited it, alone or with others through Promise.all & co.);
//   - a callback of a timer or I/O resource that T created (T awaited a sleep, a fetch, ...).
// "Just before" means at most RESUME_TOLERANCE_MS before b, or with the loop busy (some task
// running, or a blocking stretch) for all but that much of the time in between, or with nothing
// at all recorded in between (the process was not running): a promise reaction runs at the next
// microtask checkpoint, so T resumes at once unless the loop is busy.
//
// Pure and browser-safe (the viewer imports it): no Node modules here.
//
// API:
//   waitIndex(model)                      per-model lookup tables (cached)
//   explainWait(model, task, fromMs, untilMs, segment?) -> WaitExplanation
//   segmentStartedBefore(task, seq)       the segment an event fell in (by event order)
//   hasOrder(task | segment)              whether the model gave it event order
//   lowerBound(list, value, key)          first index whose key is not below value (sorted list)
//   busyBetween(model, fromMs, toMs)      ms of [from, to] when the loop was busy
import type { Resource, Segment, Task, TraceModel } from '../model/types.js';

/** Events stamped within one tick of the coarse clock may be out of order by this much. */
export const TICK_MS = 0.5;
/** A resumption this close after an event (or with the loop busy in between) is caused by it. */
export const RESUME_TOLERANCE_MS = 2;
/** Resource types that are timers (pacing), as opposed to I/O. */
export const TIMER_TYPES: ReadonlySet<string> = new Set(['setTimeout', 'setInterval', 'setImmediate']);

export type WaitEvent =
  | { kind: 'task'; taskId: number; atMs: number }
  /** sinceMs: when the resource started the work it reported at atMs (created, or its previous callback). */
  | { kind: 'resource'; resourceId: number; atMs: number; sinceMs: number };

export interface WaitExplanation {
  /** Children of the task that ended inside the wait, in order of their end. */
  childrenEnded: number[];
  /** What let the task resume; null when the trace does not show it (a stream, a lock, another task's promise). */
  resumer: WaitEvent | null;
}

export interface WaitIndex {
  /** Per task: its children sorted by end (ended ones only). */
  childrenByEnd: Map<number, Task[]>;
  /**
   * The same in the order of their end events, for models that have event order (all built from
   * a trace): exact where times tie, which they do for every await inside one clock tick.
   */
  childrenBySeq: Map<number, Task[]>;
  /** Per task: callbacks of the resources it created, sorted by time: [atMs, resource] pairs. */
  callbacksByTask: Map<number, { atMs: number; resource: Resource; previousMs: number }[]>;
  resourceById: Map<number, Resource>;
  /** Merged intervals, flat [start0, end0, start1, end1, ...]: some task running or the loop blocked. */
  busy: number[];
  /** busyPrefix[i] = total busy time of the intervals before interval i. */
  busyPrefix: number[];
  /** Every time something happened in the process (segment boundaries, callbacks, lag samples), sorted. */
  events: Float64Array;
}

const indexes = new WeakMap<TraceModel, WaitIndex>();

/**
 * The union of every run segment and blocking stretch, as sorted [start, end, start, end, ...]
 * with touching intervals merged. Starts and ends are sorted apart (typed-array sorts, no pair
 * objects: a big trace has millions of segments) and swept together, starts first on ties.
 */
function unionOfIntervals(model: TraceModel): number[] {
  let count = model.blocking.length;
  for (const task of model.tasks) for (const s of task.segments) if (s.kind === 'run' && s.endMs > s.startMs) count++;
  const starts = new Float64Array(count);
  const ends = new Float64Array(count);
  let k = 0;
  for (const task of model.tasks) {
    for (const s of task.segments) {
      if (s.kind === 'run' && s.endMs > s.startMs) {
        starts[k] = s.startMs;
        ends[k++] = s.endMs;
      }
    }
  }
  for (const b of model.blocking) {
    starts[k] = b.startMs;
    ends[k++] = b.startMs + b.durationMs;
  }
  starts.sort();
  ends.sort();
  const busy: number[] = [];
  let open = 0;
  let i = 0;
  let j = 0;
  while (i < count) {
    if (starts[i]! <= ends[j]!) {
      if (open++ === 0) busy.push(starts[i]!);
      i++;
    } else {
      if (--open === 0) busy.push(ends[j]!);
      j++;
    }
  }
  // Every start is taken: what is open closes at the largest end.
  if (open > 0) busy.push(ends[count - 1]!);
  return busy;
}

/** Every time at which something happened (lag samples, segment edges, resources), sorted. */
function eventTimes(model: TraceModel): Float64Array {
  let count = model.lag.times.length;
  for (const task of model.tasks) count += 2 * task.segments.length;
  for (const resource of model.resources) count += 1 + resource.callbacksMs.length;
  const times = new Float64Array(count);
  let k = 0;
  for (const at of model.lag.times) times[k++] = at;
  for (const task of model.tasks) {
    for (const seg of task.segments) {
      times[k++] = seg.startMs;
      times[k++] = seg.endMs;
    }
  }
  for (const resource of model.resources) {
    times[k++] = resource.createdMs;
    for (const at of resource.callbacksMs) times[k++] = at;
  }
  return times.sort();
}

export function waitIndex(model: TraceModel): WaitIndex {
  const cached = indexes.get(model);
  if (cached) return cached;
  const childrenByEnd = new Map<number, Task[]>();
  const childrenBySeq = new Map<number, Task[]>();
  for (const task of model.tasks) {
    if (task.children.length === 0) continue;
    const ended = task.children
      .map((id) => model.taskById[id])
      .filter((c): c is Task => c !== undefined && c.endMs !== null)
      .sort((x, y) => x.endMs! - y.endMs! || x.id - y.id);
    childrenByEnd.set(task.id, ended);
    if (ended.every((c) => typeof c.endSeq === 'number' && typeof c.startSeq === 'number')) {
      childrenBySeq.set(task.id, [...ended].sort((x, y) => x.endSeq! - y.endSeq!));
    }
  }
  const resourceById = new Map<number, Resource>();
  const callbacksByTask: WaitIndex['callbacksByTask'] = new Map();
  for (const resource of model.resources) {
    resourceById.set(resource.id, resource);
    if (resource.taskId === null) continue;
    let list = callbacksByTask.get(resource.taskId);
    if (!list) callbacksByTask.set(resource.taskId, (list = []));
    let previousMs = resource.createdMs;
    for (const atMs of resource.callbacksMs) {
      list.push({ atMs, resource, previousMs });
      previousMs = atMs;
    }
  }
  for (const list of callbacksByTask.values()) list.sort((x, y) => x.atMs - y.atMs);

  const busy = unionOfIntervals(model);
  const busyPrefix: number[] = [];
  let total = 0;
  for (let i = 0; i < busy.length; i += 2) {
    busyPrefix.push(total);
    total += busy[i + 1]! - busy[i]!;
  }
  const events = eventTimes(model);
  const index: WaitIndex = { childrenByEnd, childrenBySeq, callbacksByTask, resourceById, busy, busyPrefix, events };
  indexes.set(model, index);
  return index;
}

/** Busy time (some task running, or a blocking stretch) up to `t`. */
function busyUpTo(index: WaitIndex, t: number): number {
  const { busy, busyPrefix } = index;
  // Last interval starting at or before t.
  let lo = 0;
  let hi = busy.length / 2 - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (busy[mid * 2]! <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return 0;
  return busyPrefix[found]! + Math.min(t, busy[found * 2 + 1]!) - busy[found * 2]!;
}

/** How many ms of [fromMs, toMs] the loop was busy (a task running or a blocking stretch). */
export function busyBetween(model: TraceModel, fromMs: number, toMs: number): number {
  if (toMs <= fromMs) return 0;
  const index = waitIndex(model);
  return busyUpTo(index, toMs) - busyUpTo(index, fromMs);
}

/**
 * Whether something at `eventMs` can have caused a resumption at `resumeMs`: soon enough, or
 * with the loop busy in between, or with nothing at all happening in between (not even the lag
 * probe's tick, every ~10 ms): the process was not running (the OS, a GC pause), so nothing else
 * can have come first.
 */
export function causes(model: TraceModel, eventMs: number, resumeMs: number): boolean {
  const gap = resumeMs - eventMs;
  if (gap <= RESUME_TOLERANCE_MS) return gap >= -TICK_MS;
  if (gap - busyBetween(model, eventMs, resumeMs) <= RESUME_TOLERANCE_MS) return true;
  const { events } = waitIndex(model);
  const from = eventMs + TICK_MS;
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid]! <= from) lo = mid + 1;
    else hi = mid;
  }
  return lo >= events.length || events[lo]! >= resumeMs - TICK_MS;
}

/** First index in a list sorted by `key` whose key is >= value. */
export function lowerBound<T>(list: readonly T[], value: number, key: (item: T) => number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (key(list[mid]!) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * What ended the part [fromMs, untilMs] of a wait of `task` (untilMs is usually the segment's
 * end; the critical path also asks about earlier moments inside a wait).
 */
export function explainWait(model: TraceModel, task: Task, fromMs: number, untilMs: number, segment?: Segment): WaitExplanation {
  const index = waitIndex(model);
  const runStart = runStartBefore(task, fromMs);
  const bySeq = segment !== undefined && hasOrder(segment) ? index.childrenBySeq.get(task.id) : undefined;
  const { childrenEnded, lastChild } = bySeq
    ? childrenEndedInOrder(task, bySeq, segment!, untilMs)
    : childrenEndedByTime(index.childrenByEnd.get(task.id) ?? [], fromMs, untilMs, runStart);

  const callbacks = index.callbacksByTask.get(task.id) ?? [];
  const cbEnd = lowerBound(callbacks, untilMs + TICK_MS, (c) => c.atMs);
  let lastCallback: (typeof callbacks)[number] | undefined;
  for (let i = cbEnd - 1; i >= 0 && callbacks[i]!.atMs >= fromMs - TICK_MS; i--) {
    const cb = callbacks[i]!;
    if (cb.atMs <= fromMs + TICK_MS && cb.previousMs < runStart - TICK_MS) continue;
    lastCallback = cb;
    break;
  }

  let resumer: WaitEvent | null = null;
  const childAt = lastChild?.endMs ?? Number.NEGATIVE_INFINITY;
  const callbackAt = lastCallback?.atMs ?? Number.NEGATIVE_INFINITY;
  // The later event is the nearer one; at equal times the child wins (its promise is what was awaited).
  if (lastChild && childAt >= callbackAt && causes(model, childAt, untilMs)) {
    resumer = { kind: 'task', taskId: lastChild.id, atMs: childAt };
  } else if (lastCallback && causes(model, callbackAt, untilMs)) {
    resumer = { kind: 'resource', resourceId: lastCallback.resource.id, atMs: callbackAt, sinceMs: lastCallback.previousMs };
  } else if (lastChild && causes(model, childAt, untilMs)) {
    resumer = { kind: 'task', taskId: lastChild.id, atMs: childAt };
  }
  return { childrenEnded, resumer };
}

/**
 * Children that ended inside the wait, told apart by time: those that ended in it (give or take a
 * tick) and were started before it. A child that ended a hair before the wait began counts only
 * if it was started in the run just before (it finished synchronously); otherwise it is what
 * ended the previous wait.
 */
function childrenEndedByTime(children: readonly Task[], fromMs: number, untilMs: number, runStart: number): { childrenEnded: number[]; lastChild: Task | undefined } {
  const first = lowerBound(children, fromMs - TICK_MS, (c) => c.endMs!);
  const last = lowerBound(children, untilMs + TICK_MS, (c) => c.endMs!); // exclusive
  const childrenEnded: number[] = [];
  let lastChild: Task | undefined;
  for (let i = first; i < last; i++) {
    const c = children[i]!;
    if (c.endMs! <= fromMs + TICK_MS && c.startMs < runStart - TICK_MS) continue;
    // Started while the task was already waiting: not what it was waiting for.
    if (c.startMs > fromMs + TICK_MS) continue;
    childrenEnded.push(c.id);
    lastChild = c;
  }
  return { childrenEnded, lastChild };
}

/**
 * The same rule by event order: children started before the wait began that ended before it
 * ended, and after the run that led to it began (if before the wait, started in that run).
 * Cost: the children that ended in that run and wait, however many awaits share their times.
 */
function childrenEndedInOrder(task: Task, bySeq: readonly Task[], segment: Segment, untilMs: number): { childrenEnded: number[]; lastChild: Task | undefined } {
  const waitStart = segment.startSeq!;
  const run = segmentStartedBefore(task, waitStart);
  const runStart = run?.kind === 'run' && run.startSeq !== undefined ? run.startSeq : waitStart;
  const first = lowerBound(bySeq, runStart, (c) => c.endSeq!);
  const last = lowerBound(bySeq, segment.endSeq!, (c) => c.endSeq!); // exclusive
  const childrenEnded: number[] = [];
  let lastChild: Task | undefined;
  for (let i = first; i < last; i++) {
    const c = bySeq[i]!;
    // The critical path asks about a moment inside the wait: later ends are not its cause.
    if (c.endMs! > untilMs + TICK_MS) break;
    if (c.startSeq! >= waitStart) continue;
    if (c.endSeq! < waitStart && c.startSeq! < runStart) continue;
    childrenEnded.push(c.id);
    lastChild = c;
  }
  return { childrenEnded, lastChild };
}

/** Whether the model gave it event order (models built from a trace do; hand-made ones may not). */
export function hasOrder(item: { startSeq?: number; endSeq?: number | null }): boolean {
  return item.startSeq !== undefined && item.endSeq !== undefined;
}

/** The last segment of `task` that started before event `seq` (models with event order). */
export function segmentStartedBefore(task: Task, seq: number): Segment | undefined {
  const i = lowerBound(task.segments, seq, (s) => s.startSeq ?? -1);
  return i > 0 ? task.segments[i - 1] : undefined;
}

/** Start of the run segment of `task` that ends where a wait starting at `fromMs` begins. */
function runStartBefore(task: Task, fromMs: number): number {
  const segments = task.segments;
  let lo = 0;
  let hi = segments.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (segments[mid]!.startMs <= fromMs) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  // The wait itself (or the run containing fromMs), then the run before it.
  for (let i = found; i >= 0; i--) if (segments[i]!.kind === 'run' && segments[i]!.startMs < fromMs + TICK_MS && (i < found || segments[i]!.endMs > fromMs)) return segments[i]!.startMs;
  return task.startMs;
}

/** Duration of a task, or up to the end of the run when it never ended. */
export function taskDuration(task: Task, wallMs: number): number {
  return (task.endMs ?? wallMs) - task.startMs;
}

/** "name#id" as the text report prints tasks. */
export function taskLabel(task: Task): string {
  return `${task.name}#${task.id}`;
}
