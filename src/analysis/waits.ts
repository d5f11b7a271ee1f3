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
// Children are matched to a wait by event order (startSeq/endSeq), exact where times tie.
// Pure and browser-safe: no Node modules here. Tasks and segments are column indices.
import { RESOURCE_TYPES } from '../../contract/index.js';
import { SEGMENT_RUN, type TraceModel } from '../model/types.js';
import { lowerBound, upperBound } from './search.js';
import { IntList } from './int-list.js';
import type { Work } from './work.js';

/** Events stamped within one tick of the coarse clock may be out of order by this much. */
export const TICK_MS = 0.5;
/** A resumption this close after an event (or with the loop busy in between) is caused by it. */
export const RESUME_TOLERANCE_MS = 2;
/** Resource types that are timers (pacing), as opposed to I/O. */
export const TIMER_TYPES: ReadonlySet<string> = new Set(['setTimeout', 'setInterval', 'setImmediate']);
const TIMER_TYPE_CODES = new Set(RESOURCE_TYPES.flatMap((name, code) => (TIMER_TYPES.has(name) ? [code] : [])));

/** Whether resource r of the model is a timer (setTimeout, setInterval, setImmediate). */
export function isTimer(model: TraceModel, r: number): boolean {
  return TIMER_TYPE_CODES.has(model.columns.resources.type[r]!);
}

/** What let a wait end: a child task's end, a callback of a resource the task created, or nothing shown. */
export type Resumer =
  | { kind: 'task'; task: number; atMs: number }
  /** sinceMs: when the resource started the work it reported at atMs (created, or its previous callback). */
  | { kind: 'resource'; resource: number; atMs: number; sinceMs: number };

/** Intervals, flat [start0, end0, start1, end1, ...]: some task running or the loop blocked. */
export interface BusyIntervals {
  busy: Float64Array;
  /** busyPrefix[i] = total busy time of the intervals before interval i. */
  busyPrefix: Float64Array;
}

export interface WaitIndex extends BusyIntervals {
  model: TraceModel;
  /** Per task, its ended children in the order of their end events: endedChildren[endedOff[t] .. endedOff[t + 1]). */
  endedOff: Int32Array;
  endedChildren: Int32Array;
  /** Per task, callbacks of the resources it created, sorted by time: [cbOff[t] .. cbOff[t + 1]). */
  cbOff: Int32Array;
  cbAt: Float64Array;
  /** The callback's resource, and when that resource started the work it reported (created, or its previous callback). */
  cbResource: Int32Array;
  cbSince: Float64Array;
  /** Per segment: what ended the whole wait (a code, see resumerCode), 0 until asked. */
  resumerCode: Int32Array;
}

/**
 * The union of the model's running intervals (task code) and the blocking stretches, sorted
 * [start, end, start, end, ...], touching intervals merged: both lists are sorted and each is
 * disjoint, so one merge does it.
 */
function unionOfIntervals(model: TraceModel, blocking: readonly { startMs: number; durationMs: number }[], work: Work): BusyIntervals {
  const runs = model.runningIntervals;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  const runCount = runs.length / 2;
  work.add(runCount + blocking.length);
  while (i < runCount || j < blocking.length) {
    // The next interval by start; a run first at equal starts (either way they merge).
    let start: number;
    let end: number;
    if (j >= blocking.length || (i < runCount && runs[2 * i]! <= blocking[j]!.startMs)) {
      start = runs[2 * i]!;
      end = runs[2 * i + 1]!;
      i++;
    } else {
      start = blocking[j]!.startMs;
      end = start + blocking[j]!.durationMs;
      j++;
    }
    if (out.length > 0 && start <= out[out.length - 1]!) {
      if (end > out[out.length - 1]!) out[out.length - 1] = end;
    } else {
      out.push(start, end);
    }
  }
  const busy = Float64Array.from(out);
  const busyPrefix = new Float64Array(busy.length / 2);
  let total = 0;
  for (let b = 0; b < busy.length; b += 2) {
    busyPrefix[b / 2] = total;
    total += busy[b + 1]! - busy[b]!;
  }
  return { busy, busyPrefix };
}

export function buildWaitIndex(model: TraceModel, blocking: readonly { startMs: number; durationMs: number }[], work: Work): WaitIndex {
  const T = model.columns.tasks;
  const R = model.columns.resources;
  const n = T.count;

  // Ended children by parent, in the order they ended (a counting sort of the end order).
  const endedOff = new Int32Array(n + 1);
  for (let k = 0; k < T.endOrder.length; k++) {
    const p = T.parent[T.endOrder[k]!]!;
    if (p >= 0) endedOff[p + 1]!++;
  }
  for (let t = 0; t < n; t++) endedOff[t + 1]! += endedOff[t]!;
  const endedChildren = new Int32Array(endedOff[n]!);
  {
    const fill = endedOff.slice(0, n);
    for (let k = 0; k < T.endOrder.length; k++) {
      const c = T.endOrder[k]!;
      const p = T.parent[c]!;
      if (p >= 0) endedChildren[fill[p]!++] = c;
    }
  }
  work.add(n + T.endOrder.length);

  // Callbacks of each task's resources, by time (ties: resource order, then callback order).
  const cbOff = new Int32Array(n + 1);
  for (let r = 0; r < R.count; r++) if (R.task[r]! >= 0) cbOff[R.task[r]! + 1]! += R.cbOff[r + 1]! - R.cbOff[r]!;
  for (let t = 0; t < n; t++) cbOff[t + 1]! += cbOff[t]!;
  const total = cbOff[n]!;
  const cbAt = new Float64Array(total);
  const cbResource = new Int32Array(total);
  const cbSince = new Float64Array(total);
  const fill = cbOff.slice(0, n);
  for (let r = 0; r < R.count; r++) {
    const t = R.task[r]!;
    if (t < 0) continue;
    let previous = R.created[r]!;
    for (let c = R.cbOff[r]!; c < R.cbOff[r + 1]!; c++) {
      const at = R.callbacks[c]!;
      const k = fill[t]!++;
      cbAt[k] = at;
      cbResource[k] = r;
      cbSince[k] = previous;
      previous = at;
    }
  }
  work.add(R.count + total);
  sortCallbacksByTime(cbOff, cbAt, cbResource, cbSince, work);

  return {
    model,
    endedOff,
    endedChildren,
    cbOff,
    cbAt,
    cbResource,
    cbSince,
    resumerCode: new Int32Array(model.columns.segments.count),
    ...unionOfIntervals(model, blocking, work),
  };
}

/** Sorts each task's callbacks by time, stably (most lists are short and already in order). */
function sortCallbacksByTime(off: Int32Array, at: Float64Array, resource: Int32Array, since: Float64Array, work: Work): void {
  for (let t = 0; t + 1 < off.length; t++) {
    const lo = off[t]!;
    const hi = off[t + 1]!;
    let sorted = true;
    for (let k = lo + 1; k < hi && sorted; k++) if (at[k]! < at[k - 1]!) sorted = false;
    if (sorted) continue;
    const order = Array.from({ length: hi - lo }, (_, i) => lo + i).sort((x, y) => at[x]! - at[y]! || x - y);
    work.add((hi - lo) * Math.log2(hi - lo + 2));
    const a = order.map((k) => at[k]!);
    const r = order.map((k) => resource[k]!);
    const s = order.map((k) => since[k]!);
    at.set(a, lo);
    resource.set(r, lo);
    since.set(s, lo);
  }
}

/** Busy time (some task running, or a blocking stretch) up to `t`. */
function busyUpTo(index: BusyIntervals, t: number): number {
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
export function busyBetween(index: BusyIntervals, fromMs: number, toMs: number): number {
  if (toMs <= fromMs) return 0;
  return busyUpTo(index, toMs) - busyUpTo(index, fromMs);
}

/**
 * Whether something at `eventMs` can have caused a resumption at `resumeMs`: soon enough, or
 * with the loop busy in between, or with nothing at all happening in between (not even the lag
 * probe's tick, every ~10 ms): the process was not running (the OS, a GC pause), so nothing else
 * can have come first.
 */
export function causes(index: WaitIndex, eventMs: number, resumeMs: number): boolean {
  const gap = resumeMs - eventMs;
  if (gap <= RESUME_TOLERANCE_MS) return gap >= -TICK_MS;
  if (gap - busyBetween(index, eventMs, resumeMs) <= RESUME_TOLERANCE_MS) return true;
  const events = index.model.eventTimes;
  const lo = upperBound(events, eventMs + TICK_MS);
  return lo >= events.length || events[lo]! >= resumeMs - TICK_MS;
}

export interface WaitExplanation {
  /** Children of the task that ended inside the wait, in order of their end (task indices). */
  childrenEnded: number[];
  /** What let the task resume; null when the trace does not show it (a stream, a lock, another task's promise). */
  resumer: Resumer | null;
}

/**
 * What ended the wait segment `s` of task `t`, up to `untilMs` (the segment's end, or an earlier
 * moment inside it, which the critical path asks about). `work` counts the children and
 * callbacks looked at.
 */
export function explainWait(index: WaitIndex, t: number, s: number, untilMs: number, work: Work): WaitExplanation {
  const childrenEnded = new IntList();
  const code = explain(index, t, s, untilMs, work, childrenEnded);
  return { childrenEnded: childrenEnded.toArray(), resumer: decodeResumer(index, code) };
}

/**
 * What ended the whole wait segment `s` of task `t`, as a resumer code (cached per segment:
 * dependencies, the critical path and the hints all ask). Codes: NO_RESUMER; a task index k as
 * 2 + k (resumerTask); a callback as -1 - its position in the index's lists (resumerCallback).
 */
export function resumerCode(index: WaitIndex, t: number, s: number, work: Work): number {
  let code = index.resumerCode[s]!;
  if (code === 0) {
    code = explain(index, t, s, index.model.columns.segments.end[s]!, work, null);
    index.resumerCode[s] = code;
  }
  return code;
}

export const NO_RESUMER = 1;
/** The task whose end resumed the wait (-1: it was not a task). */
export const resumerTask = (code: number): number => (code >= 2 ? code - 2 : -1);
/** Position of the callback that resumed the wait in the index's callback lists (-1: not a callback). */
export const resumerCallback = (code: number): number => (code < 0 ? -1 - code : -1);

function decodeResumer(index: WaitIndex, code: number): Resumer | null {
  if (code >= 2) return { kind: 'task', task: code - 2, atMs: index.model.columns.tasks.end[code - 2]! };
  if (code < 0) {
    const c = -1 - code;
    return { kind: 'resource', resource: index.cbResource[c]!, atMs: index.cbAt[c]!, sinceMs: index.cbSince[c]! };
  }
  return null;
}

/**
 * The rule of the header, as a resumer code; the children that ended inside the wait go to
 * `childrenEnded` when given.
 */
export function explain(index: WaitIndex, t: number, s: number, untilMs: number, work: Work, childrenEnded: IntList | null): number {
  const model = index.model;
  const T = model.columns.tasks;
  const S = model.columns.segments;
  const fromMs = S.start[s]!;

  // Children that ended inside the wait, by event order: started before the wait began, ended
  // before it ended, and after the run that led to it began (if before the wait, started in that run).
  const waitStart = S.startSeq[s]!;
  const runSeq = s > T.segOff[t]! && S.kind[s - 1] === SEGMENT_RUN ? S.startSeq[s - 1]! : waitStart;
  const lo = index.endedOff[t]!;
  const hi = index.endedOff[t + 1]!;
  let lastChild = -1;
  if (hi > lo) {
    const ended = index.endedChildren;
    const endSeq = T.endSeq;
    // The first child that ended at or after the run began, and the first at or after the wait ended.
    let a = lo;
    let b = hi;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (endSeq[ended[mid]!]! < runSeq) a = mid + 1;
      else b = mid;
    }
    const first = a;
    const waitEnd = S.endSeq[s]!;
    b = hi;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (endSeq[ended[mid]!]! < waitEnd) a = mid + 1;
      else b = mid;
    }
    const last = a;
    work.add(2 + last - first);
    for (let i = first; i < last; i++) {
      const c = ended[i]!;
      if (T.end[c]! > untilMs + TICK_MS) break;
      if (T.startSeq[c]! >= waitStart) continue;
      if (endSeq[c]! < waitStart && T.startSeq[c]! < runSeq) continue;
      childrenEnded?.push(c);
      lastChild = c;
    }
  }

  // The last callback of the task's own resources inside the wait.
  const cbLo = index.cbOff[t]!;
  const cbHi = index.cbOff[t + 1]!;
  let lastCallback = -1;
  if (cbHi > cbLo) {
    const runStart = runStartBefore(model, t, fromMs);
    const cbEnd = lowerBound(index.cbAt, untilMs + TICK_MS, cbLo, cbHi);
    for (let i = cbEnd - 1; i >= cbLo && index.cbAt[i]! >= fromMs - TICK_MS; i--) {
      work.add();
      if (index.cbAt[i]! <= fromMs + TICK_MS && index.cbSince[i]! < runStart - TICK_MS) continue;
      lastCallback = i;
      break;
    }
  }

  const childAt = lastChild >= 0 ? T.end[lastChild]! : Number.NEGATIVE_INFINITY;
  const callbackAt = lastCallback >= 0 ? index.cbAt[lastCallback]! : Number.NEGATIVE_INFINITY;
  // The later event is the nearer one; at equal times the child wins (its promise is what was awaited).
  if (lastChild >= 0 && childAt >= callbackAt && causes(index, childAt, untilMs)) return 2 + lastChild;
  if (lastCallback >= 0 && causes(index, callbackAt, untilMs)) return -1 - lastCallback;
  if (lastChild >= 0 && causes(index, childAt, untilMs)) return 2 + lastChild;
  return NO_RESUMER;
}

/** Start of the run segment of task `t` that ends where a wait starting at `fromMs` begins. */
export function runStartBefore(model: TraceModel, t: number, fromMs: number): number {
  const T = model.columns.tasks;
  const S = model.columns.segments;
  const lo = T.segOff[t]!;
  // Last segment starting at or before fromMs.
  const found = upperBound(S.start, fromMs, lo, T.segOff[t + 1]!) - 1;
  // The wait itself (or the run containing fromMs), then the run before it.
  for (let i = found; i >= lo; i--) {
    if (S.kind[i] === SEGMENT_RUN && S.start[i]! < fromMs + TICK_MS && (i < found || S.end[i]! > fromMs)) return S.start[i]!;
  }
  return T.start[t]!;
}

/** The last segment of task `t` that started before event `seq` (-1: none). */
export function segmentStartedBefore(model: TraceModel, t: number, seq: number): number {
  const T = model.columns.tasks;
  const lo = T.segOff[t]!;
  const i = lowerBound(model.columns.segments.startSeq, seq, lo, T.segOff[t + 1]!);
  return i > lo ? i - 1 : -1;
}

/** End of task `t`, or the end of the run when it never ended. */
export function endOrWall(model: TraceModel, t: number): number {
  const end = model.columns.tasks.end[t]!;
  return Number.isNaN(end) ? model.wallMs : end;
}

/** Duration of task `t`, up to the end of the run when it never ended. */
export function taskDuration(model: TraceModel, t: number): number {
  return endOrWall(model, t) - model.columns.tasks.start[t]!;
}

export function taskName(model: TraceModel, t: number): string {
  return model.functions.name[model.columns.tasks.fn[t]!]!;
}
