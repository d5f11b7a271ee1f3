// await-in-loop: calls awaited one after another in a loop, each started after the previous one
// ended; saving = sum - max of their durations (what Promise.all would save if they are
// independent). Not reported: calls awaited with anything else between them (pacing), timers,
// retry loops, workers of a pool, loops fed by an async generator, generators' own loops, calls
// that mostly waited on another task, iterator steps, anonymous top-level functions, and savings
// under 2 ms or 1% of the run (docs/analysis.md).
import { OUTCOME_REJECTED, SEGMENT_RUN, SEGMENT_WAIT, type TraceModel } from '../../model/types.js';
import { DEPENDENCY_KINDS } from '../dependencies.js';
import { lowerBound, upperBound } from '../search.js';
import { endOrWall, isTimer, NO_RESUMER, resumerCallback, resumerCode, TICK_MS } from '../waits.js';
import { fmt, round } from './format.js';
import { locateCall } from './locate-call.js';
import type { Finding, HintContext, HintDetector, SourceOf } from './types.js';

const AWAIT_KIND = DEPENDENCY_KINDS.indexOf('await');

/**
 * A sequence of awaited calls, as columns (one entry per wait of a task with millions of waits):
 * a gap in the sequence (a wait that awaited something else) is an entry with `present` 0.
 */
class Calls {
  length = 0;
  present = new Uint8Array(64);
  /** What repeats from one iteration to the next: the await line, or the top-level function's group. */
  key = new Int32Array(64);
  /** The await line in the looping task (0 for top-level code). */
  line = new Int32Array(64);
  startMs = new Float64Array(64);
  endMs = new Float64Array(64);
  /** The called task (index), or -1 for an I/O operation. */
  task = new Int32Array(64);
  rejected = new Uint8Array(64);

  clear(): void {
    this.length = 0;
  }

  private grow(): void {
    const size = this.present.length * 2;
    const grown = <A extends Uint8Array | Int32Array | Float64Array>(a: A): A => {
      const b = new (a.constructor as new (n: number) => A)(size);
      b.set(a as never);
      return b;
    };
    this.present = grown(this.present);
    this.key = grown(this.key);
    this.line = grown(this.line);
    this.startMs = grown(this.startMs);
    this.endMs = grown(this.endMs);
    this.task = grown(this.task);
    this.rejected = grown(this.rejected);
  }

  push(present: boolean, key: number, line: number, startMs: number, endMs: number, task: number, rejected: boolean): void {
    if (this.length === this.present.length) this.grow();
    const i = this.length++;
    this.present[i] = present ? 1 : 0;
    this.key[i] = key;
    this.line[i] = line;
    this.startMs[i] = startMs;
    this.endMs[i] = endMs;
    this.task[i] = task;
    this.rejected[i] = rejected ? 1 : 0;
  }

  gap(): void {
    this.push(false, 0, 0, 0, 0, -1, false);
  }

  /** Entry `from` copied over entry `to`. */
  move(from: number, to: number): void {
    if (from === to) return;
    this.present[to] = this.present[from]!;
    this.key[to] = this.key[from]!;
    this.line[to] = this.line[from]!;
    this.startMs[to] = this.startMs[from]!;
    this.endMs[to] = this.endMs[from]!;
    this.task[to] = this.task[from]!;
    this.rejected[to] = this.rejected[from]!;
  }

}

/** A loop found in a sequence: calls [from, from + length), `period` awaits per iteration. */
interface LoopRun {
  from: number;
  length: number;
  period: number;
}

/** The iteration protocol's methods. */
const ITERATION = /(^|\.)(next|return|throw)$/;
const iterationSteps = new WeakMap<TraceModel, Uint8Array>();
/** Per function of the table: 1 when it is an iterator's step (next, return, throw). Tested once per function. */
function iterationStepFunctions(model: TraceModel): Uint8Array {
  let table = iterationSteps.get(model);
  if (!table) {
    const names = model.functions.name;
    table = Uint8Array.from(names, (name) => (ITERATION.test(name) ? 1 : 0));
    iterationSteps.set(model, table);
  }
  return table;
}
/** waitsOnOthers looks at most this many tasks of a call's subtree. */
const MAX_VISITED = 500;

export const awaitInLoop: HintDetector = {
  name: 'await-in-loop',
  find(ctx) {
    const { model, work } = ctx;
    const T = model.columns.tasks;
    const S = model.columns.segments;
    const findings: Finding[] = [];
    const twins = concurrentTwins(ctx);
    const generators = generatorsByParent(ctx);
    const waiting = new WaitingOnOthers(ctx);
    // Per wait: the call it awaited (or a gap), then the sequence without negligible gaps.
    const waits = new Calls();
    let durations = new Float64Array(64);
    for (let t = 0; t < T.count; t++) {
      work.progress(t, T.count);
      const lo = T.segOff[t]!;
      const hi = T.segOff[t + 1]!;
      // A generator awaiting between its yields goes at its consumer's pace: not its own loop.
      if (hi - lo < 4 || twins[t] === 1 || model.functions.kind[T.fn[t]!] === 'generator') continue;
      waits.clear();
      let calls = 0;
      // The dependency edges are sorted by wait segment: walk them along with the waits.
      let edge = lowerBound(ctx.dependencies.segment, lo);
      work.add(hi - lo);
      for (let s = lo; s < hi; s++) {
        if (S.kind[s] !== SEGMENT_WAIT) continue;
        while (edge < ctx.dependencies.count && ctx.dependencies.segment[edge]! < s) edge++;
        awaitedCall(ctx, t, s, edge, waits);
        const k = waits.length - 1;
        if (waits.present[k] === 1) {
          if (calls === durations.length) {
            const grown = new Float64Array(calls * 2);
            grown.set(durations);
            durations = grown;
          }
          durations[calls++] = waits.endMs[k]! - waits.startMs[k]!;
        }
      }
      if (calls < 2) continue;
      const negligible = Math.max(1, 0.05 * median(durations, calls));
      // The sequence in place (entry k is the k-th wait segment; a kept entry never moves up).
      let kept = 0;
      for (let s = lo, k = 0; s < hi; s++) {
        if (S.kind[s] !== SEGMENT_WAIT) continue;
        if (waits.present[k] === 1 || S.end[s]! - S.start[s]! > negligible) waits.move(k, kept++);
        k++;
      }
      waits.length = kept;
      for (const run of loopRuns(waits, ctx)) {
        const finding = loopFinding(ctx, t, waits, run, generators, waiting, ctx.options.source);
        if (finding) findings.push(finding);
      }
    }
    findings.push(...topLevelLoops(ctx, generators, waiting));
    return findings;
  },
};

/** Tasks that run at the same time as another task of the same function and parent (a worker pool): 1 per such task. */
function concurrentTwins(ctx: HintContext): Uint8Array {
  const { model, work, functionKey } = ctx;
  const T = model.columns.tasks;
  const n = T.count;
  // Tasks grouped by (parent, function), each group in the order the tasks started: two stable
  // counting sorts (by function, then by parent).
  const fnKey = new Int32Array(n);
  let keys = 0;
  for (let t = 0; t < n; t++) {
    fnKey[t] = functionKey[T.fn[t]!]!;
    if (fnKey[t]! >= keys) keys = fnKey[t]! + 1;
  }
  const byFunction = countingSort(null, n, fnKey, 0, keys);
  const byParent = countingSort(byFunction, n, T.parent, 1, n + 1);
  work.add(3 * n + keys);
  const twins = new Uint8Array(n);
  for (let a = 0; a < n; ) {
    let b = a + 1;
    const first = byParent[a]!;
    while (b < n && T.parent[byParent[b]!] === T.parent[first] && fnKey[byParent[b]!] === fnKey[first]) b++;
    if (b - a >= 2) {
      // By event order: calls one after another within a clock tick have times that tie.
      let reach = Number.NEGATIVE_INFINITY;
      let reachTask = -1;
      for (let k = a; k < b; k++) {
        work.add();
        const t = byParent[k]!;
        if (reachTask >= 0 && T.startSeq[t]! < reach) {
          twins[t] = 1;
          twins[reachTask] = 1;
        }
        const end = T.endSeq[t]! < 0 ? Number.POSITIVE_INFINITY : T.endSeq[t]!;
        if (end > reach) {
          reach = end;
          reachTask = t;
        }
      }
    }
    a = b;
  }
  return twins;
}

/**
 * Stable counting sort of `items` (null: 0..n-1) by key[item] + offset, an integer in [0, keys).
 * Typed arrays, no callbacks: it runs over every task.
 */
function countingSort(items: Int32Array | null, n: number, key: Int32Array, offset: number, keys: number): Int32Array {
  const count = new Int32Array(keys + 1);
  for (let k = 0; k < n; k++) count[key[items ? items[k]! : k]! + offset + 1]!++;
  for (let k = 0; k < keys; k++) count[k + 1]! += count[k]!;
  const out = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const it = items ? items[k]! : k;
    out[count[key[it]! + offset]!++] = it;
  }
  return out;
}

/**
 * Appends to `out` what wait `s` of task `t` awaited when that was one call started just before
 * it, else a gap. `from`: the first dependency edge at or after the wait.
 */
function awaitedCall(ctx: HintContext, t: number, s: number, from: number, out: Calls): void {
  const { model, dependencies: d } = ctx;
  const T = model.columns.tasks;
  const S = model.columns.segments;
  const runStart = s > T.segOff[t]! && S.kind[s - 1] === SEGMENT_RUN ? S.start[s - 1]! : S.start[s]!;
  const line = S.line[s]!;
  if (from < d.count && d.segment[from] === s) {
    const to = from + 1 < d.count && d.segment[from + 1] === s ? from + 2 : from + 1;
    if (to - from !== 1 || d.kind[from] !== AWAIT_KIND) return out.gap();
    const child = d.task[from]!;
    if (T.start[child]! < runStart - TICK_MS) return out.gap();
    return out.push(true, line, line, T.start[child]!, T.end[child]!, child, T.outcome[child] === OUTCOME_REJECTED);
  }
  const callback = resumerCallback(resumerCode(ctx.waits, t, s, ctx.work));
  if (callback < 0) return out.gap();
  const r = ctx.waits.cbResource[callback]!;
  const created = model.columns.resources.created[r]!;
  if (isTimer(model, r) || created < runStart - TICK_MS) return out.gap();
  out.push(true, line, line, created, ctx.waits.cbAt[callback]!, -1, false);
}

/**
 * Runs of calls whose keys (await lines) repeat with a period of 1 to 4 (awaits per iteration):
 * from each position the longest repetition, by precomputed "next break" tables, so each
 * position costs the same whatever the sequence holds.
 */
function loopRuns(sequence: Calls, ctx: HintContext): LoopRun[] {
  const n = sequence.length;
  const { present, key } = sequence;
  ctx.work.add(5 * n);
  // No call repeats the one 1 to 4 before it (most tasks: a few different awaits): no loop.
  let repeats = false;
  for (let j = 1; j < n && !repeats; j++) {
    if (present[j] !== 1) continue;
    for (let p = 1; p <= 4 && p <= j; p++) if (present[j - p] === 1 && key[j] === key[j - p]) repeats = true;
  }
  if (!repeats) return [];
  // nextGap[j]: first gap at or after j; mismatch[p][j]: first i >= j where the repetition of period p breaks.
  const tables = breakTables(n + 1);
  const nextGap = tables[0]!;
  nextGap[n] = n;
  for (let j = n - 1; j >= 0; j--) nextGap[j] = present[j] === 1 ? nextGap[j + 1]! : j;
  const mismatch = tables.slice(1);
  for (let p = 1; p <= 4; p++) {
    const next = mismatch[p - 1]!;
    next[n] = n;
    for (let j = n - 1; j >= 0; j--) next[j] = j >= p && present[j] === 1 && present[j - p] === 1 && key[j] === key[j - p] ? next[j + 1]! : j;
  }
  const runs: LoopRun[] = [];
  let k = 0;
  while (k < n) {
    if (present[k] !== 1) {
      k++;
      continue;
    }
    let best: { period: number; length: number } | null = null;
    for (let period = 1; period <= 4; period++) {
      const j = nextGap[k]! < Math.min(k + period, n) ? nextGap[k]! : k + period >= n ? n : mismatch[period - 1]![k + period]!;
      const iterations = Math.floor((j - k) / period);
      if (iterations < 2) continue;
      const keys = new Set<number>();
      for (let i = k; i < k + period; i++) keys.add(key[i]!);
      if (keys.size === period && (!best || iterations * period > best.length)) best = { period, length: iterations * period };
    }
    if (!best) {
      k++;
      continue;
    }
    runs.push({ from: k, length: best.length, period: best.period });
    k += best.length;
  }
  return runs;
}

/** The middle value (the upper one of an even count) of values[0..n), which it reorders. */
function median(values: Float64Array, n: number): number {
  if (n > 16) return values.subarray(0, n).sort()[n >> 1]!;
  // Few values (most tasks): insertion sort in place, no array made.
  for (let i = 1; i < n; i++) {
    const v = values[i]!;
    let j = i - 1;
    while (j >= 0 && values[j]! > v) {
      values[j + 1] = values[j]!;
      j--;
    }
    values[j + 1] = v;
  }
  return values[n >> 1]!;
}

/** Five tables of at least `size` entries, reused from one sequence to the next (most are short). */
let tablesOf: Int32Array[] = [];
function breakTables(size: number): Int32Array[] {
  if (tablesOf.length === 0 || tablesOf[0]!.length < size) tablesOf = Array.from({ length: 5 }, () => new Int32Array(Math.max(size, 64)));
  return tablesOf;
}

/** Async generators by the task that started them, with start times and running maxima of their ends. */
interface GeneratorIndex {
  off: Int32Array;
  start: Float64Array;
  /** Largest end (or the run's end, for a pending one) of the generators up to this one. */
  maxEnd: Float64Array;
}

function generatorsByParent(ctx: HintContext): GeneratorIndex {
  const { model } = ctx;
  const T = model.columns.tasks;
  const n = T.count;
  const isGenerator = (t: number) => model.functions.kind[T.fn[t]!] === 'generator' && T.parent[t]! >= 0;
  const off = new Int32Array(n + 1);
  for (let t = 0; t < n; t++) if (isGenerator(t)) off[T.parent[t]! + 1]!++;
  for (let t = 0; t < n; t++) off[t + 1]! += off[t]!;
  const start = new Float64Array(off[n]!);
  const maxEnd = new Float64Array(off[n]!);
  const fill = off.slice(0, n);
  // In the order they were created, so by start time within each parent.
  for (let t = 0; t < n; t++) {
    if (!isGenerator(t)) continue;
    const p = T.parent[t]!;
    const k = fill[p]!++;
    start[k] = T.start[t]!;
    const end = endOrWall(model, t);
    maxEnd[k] = k > off[p]! ? Math.max(maxEnd[k - 1]!, end) : end;
  }
  ctx.work.add(2 * n);
  return { off, start, maxEnd };
}

/**
 * Whether an async generator started by task `t` or one of its callers was alive through
 * [fromMs, toMs] (a generator's task gets the parent current at its first next(), which may be
 * the caller of the loop's function).
 */
function iteratesGenerator(ctx: HintContext, generators: GeneratorIndex, t: number, fromMs: number, toMs: number): boolean {
  const T = ctx.model.columns.tasks;
  for (let a = t; a >= 0; a = T.parent[a]!) {
    ctx.work.add();
    const lo = generators.off[a]!;
    const hi = generators.off[a + 1]!;
    if (hi === lo) continue;
    // The generators started by then; the longest-lived of them.
    const k = upperBound(generators.start, fromMs, lo, hi) - 1;
    if (k >= lo && generators.maxEnd[k]! >= toMs - TICK_MS) return true;
  }
  return false;
}

/**
 * Whether a call spent most of its time in one wait that nothing in the trace explains (no
 * child, no timer or I/O of its own): waiting for another task (a queue, a lock, a condition),
 * which awaiting the calls together would not shorten. Short unexplained waits in a row (a
 * stream's chunks) do not count. Looks at the first MAX_VISITED tasks of the call's subtree.
 */
class WaitingOnOthers {
  /** Per task: its longest wait that nothing explains (NaN: not computed yet; -1: none). */
  private own: Float64Array | undefined;
  /** Per task: the same over its subtree, and the subtree's size. */
  private subtree: Float64Array | undefined;
  private size: Int32Array | undefined;

  constructor(private readonly ctx: HintContext) {}

  private prepare(): void {
    const { model, waits, work } = this.ctx;
    const T = model.columns.tasks;
    const S = model.columns.segments;
    const n = T.count;
    const own = new Float64Array(n).fill(-1);
    for (let t = 0; t < n; t++) {
      for (let s = T.segOff[t]!; s < T.segOff[t + 1]!; s++) {
        work.add();
        if (S.kind[s] !== SEGMENT_WAIT) continue;
        const length = S.end[s]! - S.start[s]!;
        if (length > own[t]! && resumerCode(waits, t, s, work) === NO_RESUMER) own[t] = length;
      }
    }
    const subtree = Float64Array.from(own);
    const size = new Int32Array(n).fill(1);
    // Children come after their parents in the columns.
    for (let t = n - 1; t >= 0; t--) {
      const p = T.parent[t]!;
      if (p < 0) continue;
      if (subtree[t]! > subtree[p]!) subtree[p] = subtree[t]!;
      size[p]! += size[t]!;
    }
    this.own = own;
    this.subtree = subtree;
    this.size = size;
  }

  of(call: number): boolean {
    const { model, work } = this.ctx;
    const T = model.columns.tasks;
    const duration = endOrWall(model, call) - T.start[call]!;
    if (duration <= 0) return false;
    if (!this.own) this.prepare();
    const limit = 0.5 * duration;
    if (this.size![call]! <= MAX_VISITED) return this.subtree![call]! >= limit;
    // A large subtree: the first MAX_VISITED tasks in depth-first order, last child first.
    const stack = [call];
    let visited = 0;
    while (stack.length > 0 && visited++ < MAX_VISITED) {
      work.add();
      const t = stack.pop()!;
      if (this.own![t]! >= limit) return true;
      for (let k = T.childOff[t]!; k < T.childOff[t + 1]!; k++) stack.push(T.children[k]!);
    }
    return false;
  }
}

/** The finding for one loop of calls, or null when it is not a loop over independent calls (see the exclusions). */
function loopFinding(ctx: HintContext, t: number, calls: Calls, run: LoopRun, generators: GeneratorIndex, waiting: WaitingOnOthers, source: SourceOf | undefined): Finding | null {
  const { model } = ctx;
  const T = model.columns.tasks;
  const { from, length, period } = run;
  const to = from + length;
  const fnName = (task: number) => model.functions.name[T.fn[task]!]!;
  ctx.work.add(length);
  // A retry loop (earlier attempts failed) is not a loop over independent calls.
  for (let i = from; i < to - 1; i++) if (calls.rejected[i] === 1) return null;
  // Nor stepping an iterator (each next() depends on the previous one).
  const iterationStep = iterationStepFunctions(model);
  for (let i = from; i < to; i++) if (calls.task[i]! >= 0 && iterationStep[T.fn[calls.task[i]!]!] === 1) return null;
  // Nor one fed by an async generator it iterates (for await over a stream of items).
  const loopStart = calls.startMs[from]!;
  const loopEnd = calls.endMs[to - 1]!;
  if (t >= 0 && iteratesGenerator(ctx, generators, t, loopStart, loopEnd)) return null;
  // Nor calls that mostly waited for another task (a queue's get, a lock, a condition).
  let callMs = 0;
  let waitingMs = 0;
  for (let i = from; i < to; i++) callMs += calls.endMs[i]! - calls.startMs[i]!;
  for (let i = from; i < to; i++) waitingMs += calls.task[i]! >= 0 && waiting.of(calls.task[i]!) ? calls.endMs[i]! - calls.startMs[i]! : 0;
  if (waitingMs >= 0.5 * callMs) return null;
  // Each iteration from its first call's start to its last call's end.
  let sum = 0;
  let max = Number.NEGATIVE_INFINITY;
  let iterations = 0;
  for (let i = from; i < to; i += period) {
    const last = Math.min(i + period, to) - 1;
    const iteration = calls.endMs[last]! - calls.startMs[i]!;
    sum += iteration;
    max = Math.max(max, iteration);
    iterations++;
  }
  const saving = sum - max;
  if (saving < Math.max(2, model.wallMs * 0.01)) return null;
  const callee = calls.task[from]!;
  const calleeName = callee >= 0 ? fnName(callee) : 'I/O';
  const what = period === 1 ? `calls to ${calleeName}` : `iterations (${period} awaits each, starting with ${calleeName})`;
  let file: string;
  let line: number;
  let who: string;
  if (t >= 0) {
    file = model.functions.file[T.fn[t]!]!;
    line = calls.line[from]!;
    who = fnName(t);
  } else {
    // Top-level code: its await lines are not in the trace; look for the call in the script's source.
    const found = callee >= 0 ? locateCall(source?.(model.script), fnName(callee), { awaited: true }) : undefined;
    file = found !== undefined ? model.script : callee >= 0 ? model.functions.file[T.fn[callee]!]! : model.script;
    line = found ?? (callee >= 0 ? model.functions.line[T.fn[callee]!]! : 0);
    who = `the top-level code of ${model.script}`;
  }
  const taskIds: number[] = t >= 0 ? [T.id[t]!] : [];
  for (let i = from; i < to; i++) if (calls.task[i]! >= 0) taskIds.push(T.id[calls.task[i]!]!);
  return {
    file,
    line,
    message:
      `await in a loop: ${who} awaited ${iterations} ${what} one after another (${fmt(sum)} in all, the longest ${fmt(max)}); ` +
      `if they do not depend on each other, start them all and await Promise.all (with a concurrency limit if there are many) to save about ${fmt(saving)}.`,
    savingMs: round(saving),
    taskIds,
    ...(t >= 0 ? { taskId: T.id[t]! } : {}),
  };
}

/**
 * The script's own top-level code (not a task: its awaits are not in the trace) awaiting calls
 * one after another: top-level tasks of one function, each starting in the tick the previous one
 * ended (the awaiting code went on at once and made the next call), or with the trace's very
 * next event however much later (nothing recorded in between: its own synchronous work, a GC pause).
 */
function topLevelLoops(ctx: HintContext, generators: GeneratorIndex, waiting: WaitingOnOthers): Finding[] {
  const { model, functionKey } = ctx;
  const T = model.columns.tasks;
  const groups = new Map<number, number[]>();
  for (let t = 0; t < T.count; t++) {
    // Anonymous functions at the top level are mostly promise-chain callbacks (a queue built with .then), not awaited calls.
    if (T.parent[t]! >= 0 || Number.isNaN(T.end[t]!) || model.functions.name[T.fn[t]!] === '<anonymous>') continue;
    const key = functionKey[T.fn[t]!]!;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(t);
  }
  ctx.work.add(T.count);
  const findings: Finding[] = [];
  for (const [key, tasks] of groups) {
    if (tasks.length < 2) continue;
    // In event order (the order they were created): calls that share a clock tick have start
    // times that differ only by rounding.
    const start = (t: number) => T.start[t]!;
    const end = (t: number) => T.end[t]!;
    // One at a time: a task that overlaps another of its function breaks the sequence; the others
    // follow on when each starts in the tick the previous one ended.
    const alone = tasks.map((t, i) => {
      const previous = tasks[i - 1];
      const next = tasks[i + 1];
      return (previous === undefined || start(t) >= end(previous) - TICK_MS) && (next === undefined || start(next) >= end(t) - TICK_MS);
    });
    const sequence = new Calls();
    let reach = Number.NEGATIVE_INFINITY;
    tasks.forEach((t, i) => {
      ctx.work.add();
      const previous = tasks[i - 1];
      const backToBack =
        alone[i]! &&
        previous !== undefined &&
        alone[i - 1]! &&
        start(t) >= reach - TICK_MS &&
        (start(t) - end(previous) <= TICK_MS || T.startSeq[t] === T.endSeq[previous]! + 1);
      if (i > 0 && !backToBack) sequence.gap();
      if (alone[i]) sequence.push(true, key, 0, start(t), end(t), t, T.outcome[t] === OUTCOME_REJECTED);
      reach = Math.max(reach, end(t));
    });
    for (const run of loopRuns(sequence, ctx)) {
      const finding = loopFinding(ctx, -1, sequence, { ...run, period: 1 }, generators, waiting, ctx.options.source);
      if (finding) findings.push(finding);
    }
  }
  return findings;
}
