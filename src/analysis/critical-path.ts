// Critical path: the chain of awaited children, resources and blocking stretches that decided
// when a task (or the whole run) ended. It is found walking back from the end: the task's last
// run; before it the wait that run followed, and what ended that wait (waits.ts): an awaited
// child (the path goes into the child, down to its start, then back in the parent at the
// moment the child was started), a timer or I/O callback of the task's own (the path covers the
// resource from its creation), or nothing the trace shows (the wait itself is on the path). A
// blocking stretch that kept the task from running, or that ran inside the task, is on the path
// as such.
//
// Its length is what the task could take with unlimited concurrency and the same code: the
// parent's own running while an awaited child was already under way is not on the path, so
// lengthMs <= the task's duration.
//
// The pass walks every task once and keeps, per task, its own length and the children on its
// path (a tree: each child has one parent); lengths then add up from the leaves. Steps are only
// built for the paths someone asks for (the run's, one task's).
import { SEGMENT_RUN, type TraceModel } from '../model/types.js';
import type { Blocking } from './results.js';
import { lowerBound, upperBound } from './search.js';
import { explain, resumerCallback, resumerCode, resumerTask, RESUME_TOLERANCE_MS, TICK_MS, type WaitIndex } from './waits.js';
import { unmetered, type Work } from './work.js';

export type StepKind =
  /** The task was running (its own code, on the loop). */
  | 'run'
  /** A blocking stretch (the task's own code, or another's that kept the task from resuming). */
  | 'blocking'
  /** The task waited for a timer or an I/O operation it started. */
  | 'resource'
  /** The task waited for something the trace does not show (a stream, a lock, another task's promise). */
  | 'wait'
  /** The task was ready to go on but the loop was busy running other tasks. */
  | 'delay'
  /** Outside any task: the script's start-up before the first task, and the exit after the last. */
  | 'script';

export interface CriticalStep {
  kind: StepKind;
  /** The task on the path during the step (its id; null for 'script'). */
  taskId: number | null;
  startMs: number;
  endMs: number;
  /** The task's file and line: the await line for waits, where the run started for runs; the stretch's own for blocking. */
  file: string;
  line: number;
  resourceId?: number;
  resourceType?: string;
  /** For 'blocking': the function of the stretch and its index in the blocking list. */
  function?: string;
  blockingIndex?: number;
}

export interface CriticalPath {
  /** The task whose end the path explains (its id; null: the whole run). */
  taskId: number | null;
  startMs: number;
  endMs: number;
  /** Sum of the steps: what the task could take with unlimited concurrency. */
  lengthMs: number;
  /** The tasks the path goes through (ids), outermost first. */
  taskIds: number[];
  /** In time order; they do not overlap. */
  steps: CriticalStep[];
}

/** Every task's path, in short: its length, and the children on it in time order. */
export interface CriticalPaths {
  lengthMs: Float64Array;
  critOff: Int32Array;
  critChildren: Int32Array;
}

export interface PathContext {
  model: TraceModel;
  waits: WaitIndex;
  blocking: readonly Blocking[];
  blockingEnds: Float64Array;
}

export function pathContext(waits: WaitIndex, blocking: readonly Blocking[]): PathContext {
  return { model: waits.model, waits, blocking, blockingEnds: Float64Array.from(blocking, (b) => b.startMs + b.durationMs) };
}

/** What the backward walk of one task reports, latest first. */
interface WalkSink {
  step(kind: StepKind, startMs: number, endMs: number, line: number, resource: number): void;
  child(c: number): void;
}

/** Walks task t's part of the path backwards (see the header), reporting steps and children to `sink`. */
function walkTask(ctx: PathContext, t: number, sink: WalkSink, work: Work): void {
  const { model, waits } = ctx;
  const T = model.columns.tasks;
  const S = model.columns.segments;
  const taskStart = T.start[t]!;
  const taskEnd = T.end[t]!;
  const lo = T.segOff[t]!;
  let cursor = Number.isNaN(taskEnd) ? model.wallMs : taskEnd;
  let i = T.segOff[t + 1]! - 1;
  let guard = (T.segOff[t + 1]! - lo) * 4 + 16;
  while (cursor > taskStart && i >= lo && guard-- > 0) {
    work.add();
    const segStart = S.start[i]!;
    if (segStart >= cursor) {
      i--;
      continue;
    }
    const end = Math.min(S.end[i]!, cursor);
    const line = S.line[i]!;
    if (S.kind[i] === SEGMENT_RUN) {
      sink.step('run', segStart, end, line, -1);
      cursor = segStart;
      i--;
      continue;
    }
    // The whole wait's answer is shared; a part of it (after a child started inside it) is asked anew.
    const code = end === S.end[i]! ? resumerCode(waits, t, i, work) : explain(waits, t, i, end, work, null);
    const c = resumerTask(code);
    const callback = resumerCallback(code);
    if (c >= 0) {
      const childStart = T.start[c]!;
      if (childStart < end && childStart >= taskStart - TICK_MS) {
        const childEnd = Math.min(Math.max(Number.isNaN(T.end[c]!) ? end : T.end[c]!, childStart), end);
        sink.step('delay', childEnd, end, line, -1);
        sink.child(c);
        cursor = Math.max(childStart, taskStart);
        continue;
      }
    } else if (callback >= 0) {
      const since = Math.max(waits.cbSince[callback]!, taskStart);
      if (since < end) {
        const at = Math.min(Math.max(waits.cbAt[callback]!, since), end);
        sink.step('delay', at, end, line, -1);
        sink.step('resource', since, at, line, waits.cbResource[callback]!);
        cursor = since;
        continue;
      }
    }
    sink.step('wait', segStart, end, line, -1);
    cursor = segStart;
    i--;
  }
  if (cursor > taskStart) sink.step('wait', taskStart, cursor, model.functions.line[T.fn[t]!]!, -1);
}

// Pieces of one step, split where blocking stretches overlap it (scratch, reused).
const pieceStart: number[] = [];
const pieceEnd: number[] = [];
const pieceBlocking: number[] = [];

/**
 * Splits a step where blocking stretches overlap it, into the scratch arrays above. Inside a
 * run every overlap is the task's own blocking; in a wait or a delay only a stretch ending
 * where the step ends held the task up.
 */
function carveBlocking(ctx: PathContext, kind: StepKind, startMs: number, endMs: number, work: Work): number {
  pieceStart.length = pieceEnd.length = pieceBlocking.length = 0;
  if (endMs - startMs <= 0) return 0;
  let at = startMs;
  const { blocking, blockingEnds } = ctx;
  const push = (from: number, to: number, b: number) => {
    if (to > from) {
      pieceStart.push(from);
      pieceEnd.push(to);
      pieceBlocking.push(b);
    }
  };
  for (let index = upperBound(blockingEnds, at); index < blocking.length; index++) {
    work.add();
    const b = blocking[index]!;
    if (b.startMs >= endMs) break; // sorted by start
    const bEnd = blockingEnds[index]!;
    if (bEnd <= at) continue;
    const holdsUp = kind === 'run' || kind === 'delay' || Math.abs(bEnd - endMs) <= RESUME_TOLERANCE_MS;
    if (!holdsUp) continue;
    const from = Math.max(at, b.startMs);
    const to = Math.min(endMs, bEnd);
    if (from > at) push(at, from, -1);
    push(from, to, index);
    at = to;
  }
  if (at < endMs) push(at, endMs, -1);
  return pieceStart.length;
}

/** Every task's own length and the children on its path, then the lengths, leaves first. */
export function criticalPaths(ctx: PathContext, work: Work): CriticalPaths {
  const T = ctx.model.columns.tasks;
  const n = T.count;
  const own = new Float64Array(n);
  const critOff = new Int32Array(n + 1);
  const found: number[] = [];
  const list: number[] = [];
  let ownMs = 0;
  const sink: WalkSink = {
    step(kind, startMs, endMs) {
      const pieces = carveBlocking(ctx, kind, startMs, endMs, work);
      // Latest piece first, as the walk goes.
      for (let k = pieces - 1; k >= 0; k--) ownMs += pieceEnd[k]! - pieceStart[k]!;
    },
    child(c) {
      found.push(c);
    },
  };
  for (let t = 0; t < n; t++) {
    work.progress(t, n);
    ownMs = 0;
    found.length = 0;
    walkTask(ctx, t, sink, work);
    own[t] = ownMs;
    critOff[t] = list.length;
    for (let k = found.length - 1; k >= 0; k--) list.push(found[k]!);
  }
  critOff[n] = list.length;
  const critChildren = Int32Array.from(list);
  const lengthMs = new Float64Array(n);
  // A child is created after its parent, so it comes later in the columns.
  for (let t = n - 1; t >= 0; t--) {
    let children = 0;
    for (let k = critOff[t]!; k < critOff[t + 1]!; k++) children += lengthMs[critChildren[k]!]!;
    lengthMs[t] = own[t]! + children;
  }
  return { lengthMs, critOff, critChildren };
}

/** The tasks on task t's path (indices), outermost first: t, then each child's, in time order. */
export function pathTasks(paths: CriticalPaths, t: number, limit = Number.POSITIVE_INFINITY, work?: Work): number[] {
  const out: number[] = [];
  const stack = [t];
  while (stack.length > 0 && out.length < limit) {
    const u = stack.pop()!;
    work?.add();
    out.push(u);
    for (let k = paths.critOff[u + 1]! - 1; k >= paths.critOff[u]!; k--) stack.push(paths.critChildren[k]!);
  }
  return out;
}

type Item = CriticalStep | { child: number };

/** Task t's own part of the path with its children in place, in time order. */
function itemsOf(ctx: PathContext, t: number, work: Work): Item[] {
  const { model } = ctx;
  const T = model.columns.tasks;
  const R = model.columns.resources;
  const taskId = T.id[t]!;
  const file = model.functions.file[T.fn[t]!]!;
  const backward: Item[] = [];
  walkTask(
    ctx,
    t,
    {
      step(kind, startMs, endMs, line, resource) {
        const pieces = carveBlocking(ctx, kind, startMs, endMs, work);
        for (let k = pieces - 1; k >= 0; k--) {
          const b = pieceBlocking[k]!;
          if (b >= 0) {
            const stretch = ctx.blocking[b]!;
            backward.push({ kind: 'blocking', taskId, startMs: pieceStart[k]!, endMs: pieceEnd[k]!, file: stretch.file, line: stretch.line, function: stretch.function, blockingIndex: b });
          } else {
            const step: CriticalStep = { kind, taskId, startMs: pieceStart[k]!, endMs: pieceEnd[k]!, file, line };
            if (resource >= 0) {
              step.resourceId = R.id[resource]!;
              step.resourceType = R.typeName(resource);
            }
            backward.push(step);
          }
        }
      },
      child(c) {
        backward.push({ child: c });
      },
    },
    work,
  );
  return backward.reverse();
}

/** The steps of task t's path, children expanded in place, into `steps` (task indices into `tasks`). */
function flatten(ctx: PathContext, t: number, steps: CriticalStep[], tasks: number[], work: Work): void {
  const stack: { items: Item[]; next: number }[] = [{ items: itemsOf(ctx, t, work), next: 0 }];
  tasks.push(t);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next >= top.items.length) {
      stack.pop();
      continue;
    }
    const item = top.items[top.next++]!;
    if ('child' in item) {
      tasks.push(item.child);
      stack.push({ items: itemsOf(ctx, item.child, work), next: 0 });
    } else {
      // Consecutive pieces of the same kind, task and line read as one (a for-await loop's waits).
      const previous = steps[steps.length - 1];
      if (
        previous &&
        previous.kind === item.kind &&
        previous.taskId === item.taskId &&
        previous.line === item.line &&
        previous.file === item.file &&
        previous.resourceId === item.resourceId &&
        previous.blockingIndex === item.blockingIndex &&
        Math.abs(previous.endMs - item.startMs) < 1e-6
      ) {
        steps[steps.length - 1] = { ...previous, endMs: item.endMs };
      } else steps.push(item);
    }
  }
}

// Items of the tasks firstStep is looking into, latest first per task (kind code, start, end,
// child), in shared scratch arrays: a fan-out of a hundred thousand tasks asks for each one.
const KIND_CODES: readonly StepKind[] = ['run', 'blocking', 'resource', 'wait', 'delay', 'script'];
const CHILD = 255;
let itemKind = new Uint8Array(256);
let itemStart = new Float64Array(256);
let itemEnd = new Float64Array(256);
let itemChild = new Int32Array(256);
let itemLine = new Int32Array(256);

function pushItem(n: number, kind: number, start: number, end: number, child: number, line: number): number {
  if (n === itemKind.length) {
    const grow = <A extends Uint8Array | Float64Array | Int32Array>(a: A): A => {
      const b = new (a.constructor as new (size: number) => A)(a.length * 2);
      b.set(a as never);
      return b;
    };
    itemKind = grow(itemKind);
    itemStart = grow(itemStart);
    itemEnd = grow(itemEnd);
    itemChild = grow(itemChild);
    itemLine = grow(itemLine);
  }
  itemKind[n] = kind;
  itemStart[n] = start;
  itemEnd[n] = end;
  itemChild[n] = child;
  itemLine[n] = line;
  return n + 1;
}

/** The first step of task t's path whose kind is not in `skip`, without building the whole path. */
export function firstStep(ctx: PathContext, t: number, skip: ReadonlySet<StepKind>, work: Work): CriticalStep | undefined {
  const { model } = ctx;
  const T = model.columns.tasks;
  let n = 0;
  // Each task's items are appended after its parent's; a frame is [task, first item, next item to read (downwards)].
  const frames: number[] = [];
  const sink: WalkSink = {
    step(kind, startMs, endMs, line) {
      const pieces = carveBlocking(ctx, kind, startMs, endMs, work);
      for (let k = pieces - 1; k >= 0; k--) n = pushItem(n, pieceBlocking[k]! >= 0 ? 1 : KIND_CODES.indexOf(kind), pieceStart[k]!, pieceEnd[k]!, pieceBlocking[k]!, pieceBlocking[k]! >= 0 ? ctx.blocking[pieceBlocking[k]!]!.line : line);
    },
    child(c) {
      n = pushItem(n, CHILD, 0, 0, c, 0);
    },
  };
  const open = (task: number) => {
    const first = n;
    walkTask(ctx, task, sink, work);
    // Items were found latest first: read them from the last one down.
    frames.push(task, first, n - 1);
  };
  open(t);
  while (frames.length > 0) {
    const top = frames.length - 3;
    const first = frames[top + 1]!;
    const next = frames[top + 2]!;
    if (next < first) {
      frames.length = top;
      n = first;
      continue;
    }
    frames[top + 2] = next - 1;
    if (itemKind[next] === CHILD) {
      open(itemChild[next]!);
      continue;
    }
    const kind = KIND_CODES[itemKind[next]!]!;
    if (skip.has(kind)) continue;
    const task = frames[top]!;
    const fn = T.fn[task]!;
    if (itemKind[next] === 1) {
      const stretch = ctx.blocking[itemChild[next]!]!;
      return { kind: 'blocking', taskId: T.id[task]!, startMs: itemStart[next]!, endMs: itemEnd[next]!, file: stretch.file, line: stretch.line, function: stretch.function, blockingIndex: itemChild[next]! };
    }
    return { kind, taskId: T.id[task]!, startMs: itemStart[next]!, endMs: itemEnd[next]!, file: model.functions.file[fn]!, line: itemLine[next]! };
  }
  return undefined;
}

/** One task's path with its steps. */
export function taskCriticalPath(ctx: PathContext, paths: CriticalPaths, t: number, work: Work = unmetered('critical path')): CriticalPath {
  const T = ctx.model.columns.tasks;
  const steps: CriticalStep[] = [];
  const tasks: number[] = [];
  flatten(ctx, t, steps, tasks, work);
  const end = T.end[t]!;
  return { taskId: T.id[t]!, startMs: T.start[t]!, endMs: Number.isNaN(end) ? ctx.model.wallMs : end, lengthMs: paths.lengthMs[t]!, taskIds: tasks.map((u) => T.id[u]!), steps };
}

/** The whole run: start-up, the top-level task that ended last, and what kept the process alive after it. */
export function runCriticalPath(ctx: PathContext, work: Work): CriticalPath {
  const { model } = ctx;
  const T = model.columns.tasks;
  const R = model.columns.resources;
  const ended = (t: number) => !Number.isNaN(T.end[t]!);
  let last = -1;
  for (let t = 0; t < T.count; t++) {
    work.add();
    if (T.parent[t]! >= 0 || !ended(t)) continue;
    if (last < 0 || T.end[t]! > T.end[last]! || (T.end[t] === T.end[last] && T.start[t]! < T.start[last]!)) last = t;
  }
  const steps: CriticalStep[] = [];
  const taskIndices: number[] = [];
  const script = (startMs: number, endMs: number) => {
    if (endMs > startMs) steps.push({ kind: 'script', taskId: null, startMs, endMs, file: model.script, line: 0 });
  };
  if (last < 0) {
    script(0, model.wallMs);
  } else {
    // Before it: top-level tasks the script's own code awaited one after another (its awaits are
    // not in the trace): each ended in the tick the next one started.
    const topLevel: number[] = [];
    for (let t = 0; t < T.count; t++) if (T.parent[t]! < 0 && ended(t) && t !== last) topLevel.push(t);
    topLevel.sort((a, b) => T.end[a]! - T.end[b]!);
    work.add(topLevel.length * Math.log2(topLevel.length + 2));
    const topEnds = Float64Array.from(topLevel, (t) => T.end[t]!);
    const chain = [last];
    for (let cursor = T.start[last]!, guard = topLevel.length; guard-- > 0; ) {
      work.add();
      const lo = upperBound(topEnds, cursor + TICK_MS);
      const before = topLevel[lo - 1];
      if (before === undefined || T.start[before]! >= cursor || cursor - T.end[before]! > TICK_MS) break;
      chain.unshift(before);
      cursor = T.start[before]!;
    }
    script(0, T.start[chain[0]!]!);
    chain.forEach((t, i) => {
      if (i > 0) script(T.end[chain[i - 1]!]!, T.start[t]!);
      flatten(ctx, t, steps, taskIndices, work);
    });
    // After the last task: a timer or I/O callback that came later kept the process alive.
    const lastEnd = T.end[last]!;
    let latest: { atMs: number; sinceMs: number; resource: number } | undefined;
    for (let r = 0; r < R.count; r++) {
      let previous = R.created[r]!;
      for (let c = R.cbOff[r]!; c < R.cbOff[r + 1]!; c++) {
        work.add();
        const at = R.callbacks[c]!;
        if (at > lastEnd + RESUME_TOLERANCE_MS && at <= model.wallMs + TICK_MS && (!latest || at > latest.atMs)) latest = { atMs: at, sinceMs: previous, resource: r };
        previous = at;
      }
    }
    if (latest) {
      const owner = R.task[latest.resource]!;
      const from = Math.max(lastEnd, latest.sinceMs);
      script(lastEnd, from);
      steps.push({
        kind: 'resource',
        taskId: owner >= 0 ? T.id[owner]! : null,
        startMs: from,
        endMs: Math.min(latest.atMs, model.wallMs),
        file: owner >= 0 ? model.functions.file[T.fn[owner]!]! : model.script,
        line: owner >= 0 ? lineAt(model, owner, latest.sinceMs) : 0,
        resourceId: R.id[latest.resource]!,
        resourceType: R.typeName(latest.resource),
      });
      script(Math.min(latest.atMs, model.wallMs), model.wallMs);
    } else script(lastEnd, model.wallMs);
  }
  // Nothing of the run's path lies before time zero, not even a task stamped a hair earlier by a
  // clock word that trailed it (traces recorded before the preload moved the word at time zero).
  const inRun = steps.flatMap((s) => (s.endMs <= 0 ? [] : s.startMs < 0 ? [{ ...s, startMs: 0 }] : [s]));
  const lengthMs = inRun.reduce((sum, s) => sum + (s.endMs - s.startMs), 0);
  return { taskId: null, startMs: 0, endMs: model.wallMs, lengthMs, taskIds: taskIndices.map((t) => T.id[t]!), steps: inRun };
}

/**
 * The line of task t in effect at `atMs`: the await it was at (or next reached) for a wait,
 * or the line of the await that follows a run (where a promise created in it is awaited).
 */
export function lineAt(model: TraceModel, t: number, atMs: number): number {
  const T = model.columns.tasks;
  const S = model.columns.segments;
  const hi = T.segOff[t + 1]!;
  // Segment ends never go down within a task: the first that ends at or after atMs - TICK_MS.
  const i = lowerBound(S.end, atMs - TICK_MS, T.segOff[t]!, hi);
  if (i >= hi) return model.functions.line[T.fn[t]!]!;
  if (S.kind[i] !== SEGMENT_RUN) return S.line[i]!;
  return i + 1 < hi && S.kind[i + 1] !== SEGMENT_RUN ? S.line[i + 1]! : S.line[i]!;
}

export interface Bottleneck {
  kind: StepKind;
  /** One line for people, e.g. "setTimeout awaited by station (samples/restaurant.ts:18)". */
  label: string;
  taskName: string | null;
  file: string;
  line: number;
  /** Time on the path. */
  ms: number;
  /** ms / the run's wall time. */
  share: number;
  /** Steps merged into this entry. */
  steps: number;
}

/** Where the path's time went, grouped by what and where, biggest first. */
export function bottlenecks(model: TraceModel, path: CriticalPath, limit = 5): Bottleneck[] {
  const T = model.columns.tasks;
  const groups = new Map<string, Bottleneck>();
  for (const step of path.steps) {
    const t = step.taskId !== null ? T.indexOfId(step.taskId) : -1;
    const name = t >= 0 ? model.functions.name[T.fn[t]!]! : null;
    const where = `${step.file}:${step.line}`;
    let label: string;
    switch (step.kind) {
      case 'run':
        label = `${name} running (${where})`;
        break;
      case 'blocking':
        label = `${step.function ?? '?'} blocking the loop (${where})`;
        break;
      case 'resource':
        label = `${step.resourceType} awaited by ${name ?? 'the script'} (${where})`;
        break;
      case 'wait':
        label = `${name} waiting (${where})`;
        break;
      case 'delay':
        label = `${name} ready but the loop was busy (${where})`;
        break;
      default:
        label = 'outside any task (start-up, exit)';
    }
    const key = `${step.kind}\0${label}`;
    let entry = groups.get(key);
    if (!entry) {
      entry = { kind: step.kind, label, taskName: name, file: step.file, line: step.line, ms: 0, share: 0, steps: 0 };
      groups.set(key, entry);
    }
    entry.ms += step.endMs - step.startMs;
    entry.steps++;
  }
  const wall = model.wallMs > 0 ? model.wallMs : 1;
  return [...groups.values()]
    .map((b) => ({ ...b, share: b.ms / wall }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, limit);
}
