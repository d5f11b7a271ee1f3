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
import { IntList } from './int-list.js';
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

/**
 * A path's steps as columns (a sequential program's path has a step per await it made): the
 * step objects are made only for the few that are looked at (at(i), toSteps()).
 */
export class StepList {
  length = 0;
  // Columns in blocks of BLOCK steps: a path grows without copies, and wastes at most one block.
  private kind: Uint8Array[] = [];
  /** Task index, -1 for 'script'. */
  private task: Int32Array[] = [];
  private start: Float64Array[] = [];
  private end: Float64Array[] = [];
  private line: Int32Array[] = [];
  /** Index in the blocking list (blocking steps), -1 otherwise. */
  private blocking: Int32Array[] = [];
  /** Resource index (resource steps), -1 otherwise. */
  private resource: Int32Array[] = [];

  constructor(private readonly ctx: PathContext) {}

  /**
   * Appends a step; consecutive pieces of the same kind, task and line read as one (a
   * for-await loop's waits) and are merged.
   */
  push(kind: number, task: number, startMs: number, endMs: number, line: number, blocking: number, resource: number, merge = true): void {
    const last = this.length - 1;
    if (merge && last >= 0) {
      const b = last >>> BLOCK_BITS;
      const o = last & BLOCK_MASK;
      if (
        this.kind[b]![o] === kind &&
        this.task[b]![o] === task &&
        this.line[b]![o] === line &&
        this.blocking[b]![o] === blocking &&
        this.resource[b]![o] === resource &&
        (blocking >= 0 || this.fileKey(last) === this.fileKeyOf(kind, task)) &&
        Math.abs(this.end[b]![o]! - startMs) < 1e-6
      ) {
        this.end[b]![o] = endMs;
        return;
      }
    }
    const i = this.length++;
    const b = i >>> BLOCK_BITS;
    const o = i & BLOCK_MASK;
    if (o === 0) {
      this.kind.push(new Uint8Array(BLOCK));
      this.task.push(new Int32Array(BLOCK));
      this.start.push(new Float64Array(BLOCK));
      this.end.push(new Float64Array(BLOCK));
      this.line.push(new Int32Array(BLOCK));
      this.blocking.push(new Int32Array(BLOCK));
      this.resource.push(new Int32Array(BLOCK));
    }
    this.kind[b]![o] = kind;
    this.task[b]![o] = task;
    this.start[b]![o] = startMs;
    this.end[b]![o] = endMs;
    this.line[b]![o] = line;
    this.blocking[b]![o] = blocking;
    this.resource[b]![o] = resource;
  }

  private fileKeyOf(kind: number, task: number): number {
    return kind === SCRIPT || task < 0 ? -1 : this.ctx.model.columns.tasks.fn[task]!;
  }

  private fileKey(i: number): number {
    return this.fileKeyOf(this.kindCode(i), this.taskOf(i));
  }

  kindOf(i: number): StepKind {
    return STEP_KINDS[this.kindCode(i)]!;
  }
  kindCode(i: number): number {
    return this.kind[i >>> BLOCK_BITS]![i & BLOCK_MASK]!;
  }
  taskOf(i: number): number {
    return this.task[i >>> BLOCK_BITS]![i & BLOCK_MASK]!;
  }
  startOf(i: number): number {
    return this.start[i >>> BLOCK_BITS]![i & BLOCK_MASK]!;
  }
  endOf(i: number): number {
    return this.end[i >>> BLOCK_BITS]![i & BLOCK_MASK]!;
  }
  lineOf(i: number): number {
    return this.line[i >>> BLOCK_BITS]![i & BLOCK_MASK]!;
  }
  blockingOf(i: number): number {
    return this.blocking[i >>> BLOCK_BITS]![i & BLOCK_MASK]!;
  }
  resourceOf(i: number): number {
    return this.resource[i >>> BLOCK_BITS]![i & BLOCK_MASK]!;
  }

  /** Keeps the steps that end after time zero, starting at zero at the earliest. */
  clipToRun(): void {
    // Steps are dropped only before time zero (rare): until the first one, clamp in place.
    let i = 0;
    for (; i < this.length; i++) {
      const ib = i >>> BLOCK_BITS;
      const io = i & BLOCK_MASK;
      if (this.end[ib]![io]! <= 0) break;
      if (this.start[ib]![io]! < 0) this.start[ib]![io] = 0;
    }
    let k = i;
    for (; i < this.length; i++) {
      if (this.endOf(i) <= 0) continue;
      const kb = k >>> BLOCK_BITS;
      const ko = k & BLOCK_MASK;
      const ib = i >>> BLOCK_BITS;
      const io = i & BLOCK_MASK;
      this.kind[kb]![ko] = this.kind[ib]![io]!;
      this.task[kb]![ko] = this.task[ib]![io]!;
      const start = this.start[ib]![io]!;
      this.start[kb]![ko] = start < 0 ? 0 : start;
      this.end[kb]![ko] = this.end[ib]![io]!;
      this.line[kb]![ko] = this.line[ib]![io]!;
      this.blocking[kb]![ko] = this.blocking[ib]![io]!;
      this.resource[kb]![ko] = this.resource[ib]![io]!;
      k++;
    }
    this.length = k;
  }

  /** The blocking stretch's function (blocking steps), else ''. */
  functionOf(i: number): string {
    const b = this.blockingOf(i);
    return b >= 0 ? this.ctx.blocking[b]!.function : '';
  }

  /** The file of step i: the stretch's for blocking, the task's, or the script's. */
  fileOf(i: number): string {
    const { model, blocking } = this.ctx;
    const b = this.blockingOf(i);
    if (b >= 0) return blocking[b]!.file;
    const t = this.taskOf(i);
    return this.kindCode(i) === SCRIPT || t < 0 ? model.script : model.functions.file[model.columns.tasks.fn[t]!]!;
  }

  at(i: number): CriticalStep {
    const { model, blocking } = this.ctx;
    const T = model.columns.tasks;
    const R = model.columns.resources;
    const kind = this.kindOf(i);
    const t = this.taskOf(i);
    const step: CriticalStep = { kind, taskId: t >= 0 ? T.id[t]! : null, startMs: this.startOf(i), endMs: this.endOf(i), file: this.fileOf(i), line: this.lineOf(i) };
    const r = this.resourceOf(i);
    if (r >= 0) {
      step.resourceId = R.id[r]!;
      step.resourceType = R.typeName(r);
    }
    const b = this.blockingOf(i);
    if (b >= 0) {
      step.function = blocking[b]!.function;
      step.blockingIndex = b;
    }
    return step;
  }

  toSteps(): CriticalStep[] {
    return Array.from({ length: this.length }, (_, i) => this.at(i));
  }

  /** Sum of the steps' lengths, in order. */
  lengthMs(): number {
    let sum = 0;
    for (let i = 0; i < this.length; i++) sum += this.endOf(i) - this.startOf(i);
    return sum;
  }
}

const STEP_KINDS: readonly StepKind[] = ['run', 'blocking', 'resource', 'wait', 'delay', 'script'];
const BLOCK_BITS = 14;
const BLOCK = 1 << BLOCK_BITS;
const BLOCK_MASK = BLOCK - 1;
// Step kinds by code (STEP_KINDS[code]), as the walks and the step columns hold them.
const RUN = 0;
const BLOCKING = 1;
const RESOURCE = 2;
const WAIT = 3;
const DELAY = 4;
const SCRIPT = 5;

/** The run's path as the pipeline keeps it: its steps as columns. */
export interface CompactPath {
  lengthMs: number;
  /** Task indices on the path, outermost first. */
  tasks: number[];
  steps: StepList;
}

/** Every task's path, in short: its length, and the children on it in time order. */
export interface CriticalPaths {
  lengthMs: Float64Array;
  critOff: Int32Array;
  critChildren: Int32Array;
  /**
   * Per task, the first step of its path (children's included) in which it was neither running
   * nor ready to run: where it first waited (kind code of a wait or resource step, or 255: it
   * never did), with that step's start and end. The fan-out hint asks it of every sibling.
   */
  holdKind: Uint8Array;
  holdStart: Float64Array;
  holdEnd: Float64Array;
}

export const NO_HOLD = 255;

/** The kind of a step by its code in CriticalPaths.holdKind. */
export function stepKindOf(code: number): StepKind {
  return STEP_KINDS[code]!;
}

export interface PathContext {
  model: TraceModel;
  waits: WaitIndex;
  blocking: readonly Blocking[];
  blockingEnds: Float64Array;
}

export function pathContext(waits: WaitIndex, blocking: readonly Blocking[]): PathContext {
  return { model: waits.model, waits, blocking, blockingEnds: Float64Array.from(blocking, (b) => b.endMs) };
}

/** What the backward walk of one task reports, latest first. */
interface WalkSink {
  /** `kind`: a step kind's code. */
  step(kind: number, startMs: number, endMs: number, line: number, resource: number): void;
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
      sink.step(RUN, segStart, end, line, -1);
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
        sink.step(DELAY, childEnd, end, line, -1);
        sink.child(c);
        cursor = Math.max(childStart, taskStart);
        continue;
      }
    } else if (callback >= 0) {
      const since = Math.max(waits.cbSince[callback]!, taskStart);
      if (since < end) {
        const at = Math.min(Math.max(waits.cbAt[callback]!, since), end);
        sink.step(DELAY, at, end, line, -1);
        sink.step(RESOURCE, since, at, line, waits.cbResource[callback]!);
        cursor = since;
        continue;
      }
    }
    sink.step(WAIT, segStart, end, line, -1);
    cursor = segStart;
    i--;
  }
  if (cursor > taskStart) sink.step(WAIT, taskStart, cursor, model.functions.line[T.fn[t]!]!, -1);
}

// Pieces of one step, split where blocking stretches overlap it (scratch, reused).
let pieceStart = new Float64Array(16);
let pieceEnd = new Float64Array(16);
let pieceBlocking = new Int32Array(16);
let pieceCount = 0;

/**
 * Splits a step where blocking stretches overlap it, into the scratch arrays above. Inside a
 * run every overlap is the task's own blocking; in a wait or a delay only a stretch ending
 * where the step ends held the task up.
 */
function carveBlocking(ctx: PathContext, kind: number, startMs: number, endMs: number, work: Work): number {
  pieceCount = 0;
  if (endMs - startMs <= 0) return 0;
  let at = startMs;
  const { blocking, blockingEnds } = ctx;
  if (blocking.length === 0) {
    pushPiece(at, endMs, -1);
    return pieceCount;
  }
  // Inside a run or a delay every overlapping stretch counts; in a wait only those ending where it
  // ends, so a long wait (a fan-out's Promise.all) does not look at every stretch it spans.
  const everyOverlap = kind === RUN || kind === DELAY;
  const from0 = upperBound(blockingEnds, everyOverlap ? at : Math.max(at, endMs - RESUME_TOLERANCE_MS) - 1e-9);
  for (let index = from0; index < blocking.length; index++) {
    work.add();
    const b = blocking[index]!;
    if (b.startMs >= endMs) break; // sorted by start
    const bEnd = blockingEnds[index]!;
    if (bEnd <= at) continue;
    const holdsUp = everyOverlap || Math.abs(bEnd - endMs) <= RESUME_TOLERANCE_MS;
    if (!holdsUp) continue;
    const from = Math.max(at, b.startMs);
    const to = Math.min(endMs, bEnd);
    if (from > at) pushPiece(at, from, -1);
    pushPiece(from, to, index);
    at = to;
  }
  if (at < endMs) pushPiece(at, endMs, -1);
  return pieceCount;
}

function pushPiece(from: number, to: number, blocking: number): void {
  if (!(to > from)) return;
  if (pieceCount === pieceStart.length) {
    const grow = <A extends Float64Array | Int32Array>(a: A): A => {
      const b = new (a.constructor as new (n: number) => A)(a.length * 2);
      b.set(a as never);
      return b;
    };
    pieceStart = grow(pieceStart);
    pieceEnd = grow(pieceEnd);
    pieceBlocking = grow(pieceBlocking);
  }
  pieceStart[pieceCount] = from;
  pieceEnd[pieceCount] = to;
  pieceBlocking[pieceCount++] = blocking;
}

/**
 * Every task's own length, the children on its path and where it first waited. Tasks are walked
 * last first: a child comes after its parent in the columns, so its answers are there when the
 * parent's walk reaches it, and lengths add up in the same loop.
 */
export function criticalPaths(ctx: PathContext, work: Work): CriticalPaths {
  const T = ctx.model.columns.tasks;
  const n = T.count;
  const lengthMs = new Float64Array(n);
  const holdKind = new Uint8Array(n).fill(NO_HOLD);
  const holdStart = new Float64Array(n);
  const holdEnd = new Float64Array(n);
  const critCount = new Int32Array(n);
  // Children on each path, written backwards from the end (tasks are walked last first).
  let critBackward = new Int32Array(Math.max(16, n));
  let written = 0;
  const found = new IntList();
  let ownMs = 0;
  let t = 0;
  const sink: WalkSink = {
    step(kind, startMs, endMs) {
      const pieces = carveBlocking(ctx, kind, startMs, endMs, work);
      // Latest piece first, as the walk goes.
      for (let k = pieces - 1; k >= 0; k--) {
        ownMs += pieceEnd[k]! - pieceStart[k]!;
        // The earliest piece in which the task waited: the last one seen going backwards.
        if ((kind === WAIT || kind === RESOURCE) && pieceBlocking[k]! < 0) {
          holdKind[t] = kind;
          holdStart[t] = pieceStart[k]!;
          holdEnd[t] = pieceEnd[k]!;
        }
      }
    },
    child(c) {
      found.push(c);
      if (holdKind[c] !== NO_HOLD) {
        holdKind[t] = holdKind[c]!;
        holdStart[t] = holdStart[c]!;
        holdEnd[t] = holdEnd[c]!;
      }
    },
  };
  for (t = n - 1; t >= 0; t--) {
    work.progress(n - 1 - t, n);
    ownMs = 0;
    found.clear();
    walkTask(ctx, t, sink, work);
    // found is latest first; in time order the children's lengths add up as own + (c1 + c2 + ...).
    let children = 0;
    for (let k = found.length - 1; k >= 0; k--) children += lengthMs[found.at(k)]!;
    lengthMs[t] = ownMs + children;
    critCount[t] = found.length;
    if (written + found.length > critBackward.length) {
      const grown = new Int32Array(Math.max(critBackward.length * 2, written + found.length));
      grown.set(critBackward.subarray(0, written));
      critBackward = grown;
    }
    for (let k = 0; k < found.length; k++) critBackward[written++] = found.at(k);
  }
  // critBackward holds task n-1's children (latest first), then n-2's, ...: reversed, it is task 0's in time order, then 1's, ...
  const critChildren = new Int32Array(written);
  for (let k = 0; k < written; k++) critChildren[k] = critBackward[written - 1 - k]!;
  const critOff = new Int32Array(n + 1);
  for (let u = 0; u < n; u++) critOff[u + 1] = critOff[u]! + critCount[u]!;
  return { lengthMs, critOff, critChildren, holdKind, holdStart, holdEnd };
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

// Items of the tasks whose paths are being expanded, latest first per task, in shared scratch
// columns: kind code (or CHILD), start, end, line, and the child, blocking stretch or resource.
const CHILD = 255;
let itemKind = new Uint8Array(256);
let itemStart = new Float64Array(256);
let itemEnd = new Float64Array(256);
let itemLine = new Int32Array(256);
/** The child (CHILD items), the blocking stretch (blocking) or the resource (resource), else -1. */
let itemRef = new Int32Array(256);

function pushItem(n: number, kind: number, start: number, end: number, line: number, ref: number): number {
  if (n === itemKind.length) {
    const grow = <A extends Uint8Array | Float64Array | Int32Array>(a: A): A => {
      const b = new (a.constructor as new (size: number) => A)(a.length * 2);
      b.set(a as never);
      return b;
    };
    itemKind = grow(itemKind);
    itemStart = grow(itemStart);
    itemEnd = grow(itemEnd);
    itemLine = grow(itemLine);
    itemRef = grow(itemRef);
  }
  itemKind[n] = kind;
  itemStart[n] = start;
  itemEnd[n] = end;
  itemLine[n] = line;
  itemRef[n] = ref;
  return n + 1;
}

/**
 * Expands task t's path depth-first, in time order: `visit` gets each step (kind code, start,
 * end, line, blocking stretch, resource, the task it belongs to) and each task entered; it
 * returns false to stop. Items of the tasks being expanded live in the scratch columns above.
 */
function expand(
  ctx: PathContext,
  t: number,
  work: Work,
  onTask: (task: number) => void,
  onStep: (kind: number, start: number, end: number, line: number, blocking: number, resource: number, task: number) => boolean,
): void {
  let n = 0;
  const sink: WalkSink = {
    step(kind, startMs, endMs, line, resource) {
      const pieces = carveBlocking(ctx, kind, startMs, endMs, work);
      for (let k = pieces - 1; k >= 0; k--) {
        const b = pieceBlocking[k]!;
        n = b >= 0 ? pushItem(n, BLOCKING, pieceStart[k]!, pieceEnd[k]!, ctx.blocking[b]!.line, b) : pushItem(n, kind, pieceStart[k]!, pieceEnd[k]!, line, resource);
      }
    },
    child(c) {
      n = pushItem(n, CHILD, 0, 0, 0, c);
    },
  };
  // A frame per task being expanded: [task, its first item, the next item to read (downwards)].
  const frames = new IntList();
  const open = (task: number) => {
    onTask(task);
    const first = n;
    walkTask(ctx, task, sink, work);
    frames.push(task);
    frames.push(first);
    frames.push(n - 1);
  };
  open(t);
  while (frames.length > 0) {
    const top = frames.length - 3;
    const first = frames.at(top + 1);
    const next = frames.at(top + 2);
    if (next < first) {
      frames.length = top;
      n = first;
      continue;
    }
    frames.items[top + 2] = next - 1;
    const kind = itemKind[next]!;
    if (kind === CHILD) {
      open(itemRef[next]!);
      continue;
    }
    const blocking = kind === BLOCKING ? itemRef[next]! : -1;
    const resource = kind === BLOCKING ? -1 : itemRef[next]!;
    if (!onStep(kind, itemStart[next]!, itemEnd[next]!, itemLine[next]!, blocking, resource, frames.at(top))) return;
  }
}

/** The steps of task t's path, children expanded in place, onto `steps` (the tasks entered onto `tasks`). */
function flatten(ctx: PathContext, t: number, steps: StepList, tasks: number[], work: Work): void {
  expand(
    ctx,
    t,
    work,
    (task) => tasks.push(task),
    (kind, start, end, line, blocking, resource, task) => {
      steps.push(kind, task, start, end, line, blocking, resource);
      return true;
    },
  );
}

/** One task's path with its steps. */
export function taskCriticalPath(ctx: PathContext, paths: CriticalPaths, t: number, work: Work = unmetered('critical path')): CriticalPath {
  const T = ctx.model.columns.tasks;
  const steps = new StepList(ctx);
  const tasks: number[] = [];
  flatten(ctx, t, steps, tasks, work);
  const end = T.end[t]!;
  return { taskId: T.id[t]!, startMs: T.start[t]!, endMs: Number.isNaN(end) ? ctx.model.wallMs : end, lengthMs: paths.lengthMs[t]!, taskIds: tasks.map((u) => T.id[u]!), steps: steps.toSteps() };
}

/** The whole run: start-up, the top-level task that ended last, and what kept the process alive after it. */
export function runCriticalPath(ctx: PathContext, work: Work): CompactPath {
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
  const steps = new StepList(ctx);
  const tasks: number[] = [];
  const script = (startMs: number, endMs: number) => {
    if (endMs > startMs) steps.push(SCRIPT, -1, startMs, endMs, 0, -1, -1, false);
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
      chain.push(before);
      cursor = T.start[before]!;
    }
    chain.reverse();
    script(0, T.start[chain[0]!]!);
    chain.forEach((t, i) => {
      if (i > 0) script(T.end[chain[i - 1]!]!, T.start[t]!);
      flatten(ctx, t, steps, tasks, work);
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
      steps.push(RESOURCE, owner, from, Math.min(latest.atMs, model.wallMs), owner >= 0 ? lineAt(model, owner, latest.sinceMs) : 0, -1, latest.resource, false);
      script(Math.min(latest.atMs, model.wallMs), model.wallMs);
    } else script(lastEnd, model.wallMs);
  }
  // Nothing of the run's path lies before time zero, not even a task stamped a hair earlier by a
  // clock word that trailed it (traces recorded before the preload moved the word at time zero).
  steps.clipToRun();
  return { lengthMs: steps.lengthMs(), tasks, steps };
}

/** The run's path with step objects (for a few consumers; the report streams the columns). */
export function expandedPath(path: CompactPath, model: TraceModel): CriticalPath {
  const T = model.columns.tasks;
  return { taskId: null, startMs: 0, endMs: model.wallMs, lengthMs: path.lengthMs, taskIds: path.tasks.map((t) => T.id[t]!), steps: path.steps.toSteps() };
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
export function bottlenecks(model: TraceModel, steps: StepList, limit = 5): Bottleneck[] {
  const T = model.columns.tasks;
  const F = model.functions;
  const R = model.columns.resources;
  // Steps that read the same (kind, task name, file, line, resource type or function) are one
  // group; the label is made once per group, not per step (a path can have millions of steps).
  // A step's key is a number: its kind, the name and file of its task (by function: functions
  // that read the same share an id), its line and its resource type.
  const pairOfFn = new Int32Array(F.name.length);
  const pairIds = new Map<string, number>();
  for (let f = 0; f < F.name.length; f++) {
    const text = `${F.name[f]}\0${F.file[f]}`;
    let id = pairIds.get(text);
    if (id === undefined) pairIds.set(text, (id = pairIds.size));
    pairOfFn[f] = id;
  }
  const pairs = pairIds.size + 1;
  let maxLine = 0;
  for (let i = 0; i < steps.length; i++) maxLine = Math.max(maxLine, steps.lineOf(i));
  const lines = maxLine + 1;
  const types = 256;
  const numeric = STEP_KINDS.length * pairs * lines * types < 2 ** 52;
  const groups = new Map<number | string, Bottleneck>();
  for (let i = 0; i < steps.length; i++) {
    const kind = steps.kindOf(i);
    const t = steps.taskOf(i);
    const line = steps.lineOf(i);
    const r = steps.resourceOf(i);
    let key: number | string;
    if (kind === 'script') key = 'script';
    else if (kind === 'blocking' || !numeric) key = `${kind}|${t >= 0 && kind !== 'blocking' ? pairOfFn[T.fn[t]!] : -1}|${steps.fileOf(i)}|${line}|${kind === 'blocking' ? steps.functionOf(i) : r >= 0 ? R.type[r] : -1}`;
    else key = ((steps.kindCode(i) * pairs + (t >= 0 ? pairOfFn[T.fn[t]!]! + 1 : 0)) * lines + line) * types + (kind === 'resource' && r >= 0 ? R.type[r]! : 255);
    let entry = groups.get(key);
    if (!entry) {
      const name = t >= 0 && kind !== 'script' ? F.name[T.fn[t]!]! : null;
      const file = steps.fileOf(i);
      const extra = kind === 'resource' ? (r >= 0 ? R.typeName(r) : '') : kind === 'blocking' ? steps.functionOf(i) : '';
      const where = `${file}:${line}`;
      let label: string;
      switch (kind) {
        case 'run':
          label = `${name} running (${where})`;
          break;
        case 'blocking':
          label = `${extra} blocking the loop (${where})`;
          break;
        case 'resource':
          label = `${extra} awaited by ${name ?? 'the script'} (${where})`;
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
      entry = { kind, label, taskName: name, file, line, ms: 0, share: 0, steps: 0 };
      groups.set(key, entry);
    }
    entry.ms += steps.endOf(i) - steps.startOf(i);
    entry.steps++;
  }
  const wall = model.wallMs > 0 ? model.wallMs : 1;
  return [...groups.values()]
    .map((g) => ({ ...g, share: g.ms / wall }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, limit);
}
