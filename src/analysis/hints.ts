// Anti-patterns, said at the line with a one-sentence fix and, where it applies, what the fix
// would save. Six kinds (issue 5); each is built to stay silent on correct code: what it cannot
// tell apart from a deliberate choice, it does not report (docs/analysis.md lists the cases).
//
//   1 await-in-loop       calls awaited one after another in a loop, each started after the
//                         previous one ended; saving = sum - max of their durations
//   2 blocking            blocking stretches over the threshold, per function and line
//   3 floating-promise    a task nobody awaited whose rejection went unhandled, or that its own
//                         code started and that was still running when it finished
//   4 unbounded-fanout    more than `fanoutThreshold` (100) sibling tasks in flight at once
//   5 timer-left-running  a timer or interval that kept the process alive after the last task
//   6 pending-at-exit     tasks whose promise had not settled when the process exited
//
// Pure and browser-safe. API:
//   findHints(model, options?): Hint[]    sorted by kind, then by saving / size
import type { Resource, Task, TraceModel } from '../model/types.js';
import { isAwaitChain } from './await-chain.js';
import { concurrencyCurve } from './concurrency.js';
import { firstStep, lineAt, type StepKind } from './critical-path.js';
import { awaitedTaskIds, creationSegment, waitDependencies } from './dependencies.js';
import { causes, explainWait, hasOrder, RESUME_TOLERANCE_MS, TICK_MS, TIMER_TYPES, waitIndex } from './waits.js';

export type HintKind = 1 | 2 | 3 | 4 | 5 | 6;

export const HINT_NAMES = {
  1: 'await-in-loop',
  2: 'blocking',
  3: 'floating-promise',
  4: 'unbounded-fanout',
  5: 'timer-left-running',
  6: 'pending-at-exit',
} as const;

export interface Hint {
  kind: HintKind;
  name: (typeof HINT_NAMES)[HintKind];
  file: string;
  line: number;
  /** What was found, then the fix in one sentence. */
  message: string;
  /** Estimated wall time the fix saves (kinds 1 and 5). */
  savingMs?: number;
  /** The tasks concerned (for the viewer to highlight). */
  taskIds: number[];
  /**
   * The task whose code the hint is about, when there is one: the looping task (1), the task
   * running during the stretches when it is always the same (2), the caller that dropped the promise (3), the parent that fanned
   * out (4), the timer's creator (5). Absent for the script's top-level code.
   */
  taskId?: number;
}

/** The text of a source file (a path as the model has it, relative to model.cwd), if it can be read. */
export type SourceOf = (file: string) => string | undefined;

export interface HintOptions {
  /** Kind 4: sibling tasks in flight at once above this are a fan-out (default 100). */
  fanoutThreshold?: number;
  /**
   * Reads the script's sources, to put at their line what the trace has no line for: the
   * top-level code's awaits (kind 1) and the call that dropped a promise (kind 3). Optional.
   */
  source?: SourceOf;
}

const round = (v: number) => Math.round(v * 1000) / 1000;

function fmt(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(1)} ms`;
}

const cached = new WeakMap<TraceModel, Hint[]>();

export function findHints(model: TraceModel, options: HintOptions = {}): Hint[] {
  // Without options (the viewer, compare) the result depends on the model only.
  const plain = options.fanoutThreshold === undefined && options.source === undefined;
  if (plain && cached.has(model)) return cached.get(model)!;
  const hints = computeHints(model, options);
  if (plain) cached.set(model, hints);
  return hints;
}

function computeHints(model: TraceModel, options: HintOptions): Hint[] {
  const hints: Hint[] = [
    ...awaitInLoop(model, options.source),
    ...blockingHints(model),
  ];
  const floating = floatingPromises(model, options.source);
  hints.push(...floating.hints);
  hints.push(...unboundedFanout(model, options.fanoutThreshold ?? 100));
  hints.push(...timersLeftRunning(model));
  hints.push(...pendingAtExit(model, floating.taskIds));
  return hints.sort((a, b) => a.kind - b.kind || (b.savingMs ?? 0) - (a.savingMs ?? 0) || b.taskIds.length - a.taskIds.length);
}

// ---------------------------------------------------------------------------------------------
// 1. await in a loop

interface Call {
  /** What repeats from one iteration to the next: the await line, or the function of a top-level call. */
  key: string;
  /** The await line in the looping task (0 for top-level code). */
  line: number;
  startMs: number;
  endMs: number;
  taskId: number | null;
  rejected: boolean;
}

/** Tasks that run at the same time as another task of the same function and parent (a worker pool). */
function concurrentTwins(model: TraceModel): Set<number> {
  const groups = new Map<string, Task[]>();
  for (const t of model.tasks) {
    const key = `${t.parentId}\0${t.name}\0${t.file}\0${t.line}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(t);
  }
  const twins = new Set<number>();
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    // By event order where the model has it: calls one after another within a clock tick have
    // times that tie or differ by rounding, and by those they would overlap.
    const ordered = g.every(hasOrder);
    const start = ordered ? (t: Task) => t.startSeq! : (t: Task) => t.startMs;
    const end = ordered ? (t: Task) => t.endSeq ?? Number.POSITIVE_INFINITY : (t: Task) => t.endMs ?? model.wallMs;
    g.sort((a, b) => start(a) - start(b));
    let reach = Number.NEGATIVE_INFINITY;
    let reachTask: Task | undefined;
    for (const t of g) {
      if (reachTask && start(t) < reach) {
        twins.add(t.id);
        twins.add(reachTask.id);
      }
      if (end(t) > reach) {
        reach = end(t);
        reachTask = t;
      }
    }
  }
  return twins;
}

/** What a wait of `task` awaited when that was one call started just before it, else null. */
function awaitedCall(model: TraceModel, task: Task, index: number): Call | null {
  const seg = task.segments[index]!;
  const before = task.segments[index - 1];
  const runStart = before && before.kind === 'run' ? before.startMs : seg.startMs;
  const deps = waitDependencies(model, task, index);
  if (deps.length > 0) {
    if (deps.length !== 1 || deps[0]!.kind !== 'await') return null;
    const child = model.taskById[deps[0]!.taskId]!;
    if (child.startMs < runStart - TICK_MS) return null;
    return { key: String(seg.line), line: seg.line, startMs: child.startMs, endMs: child.endMs!, taskId: child.id, rejected: child.outcome === 'rejected' };
  }
  const { resumer } = explainWait(model, task, seg.startMs, seg.endMs, seg);
  if (resumer?.kind !== 'resource') return null;
  const resource = waitIndex(model).resourceById.get(resumer.resourceId);
  if (!resource || TIMER_TYPES.has(resource.type) || resource.createdMs < runStart - TICK_MS) return null;
  return { key: String(seg.line), line: seg.line, startMs: resource.createdMs, endMs: resumer.atMs, taskId: null, rejected: false };
}

/**
 * Whether a call spent most of its time in one wait that nothing in the trace explains (no
 * child, no timer or I/O of its own): waiting for another task (a queue, a lock, a condition),
 * which awaiting the calls together would not shorten. Short unexplained waits in a row (a
 * stream's chunks) do not count.
 */
function waitsOnOthers(model: TraceModel, call: Task): boolean {
  const duration = (call.endMs ?? model.wallMs) - call.startMs;
  if (duration <= 0) return false;
  const stack = [call];
  let visited = 0;
  while (stack.length > 0 && visited++ < 500) {
    const t = stack.pop()!;
    for (const s of t.segments) {
      if (s.kind !== 'wait' || s.endMs - s.startMs < 0.5 * duration) continue;
      if (!explainWait(model, t, s.startMs, s.endMs, s).resumer) return true;
    }
    for (const id of t.children) stack.push(model.taskById[id]!);
  }
  return false;
}

/**
 * Whether an async generator started by `task` or one of its callers was alive through
 * [fromMs, toMs] (a generator's task gets the parent current at its first next(), which may be
 * the caller of the loop's function).
 */
function iteratesGenerator(model: TraceModel, task: Task, fromMs: number, toMs: number): boolean {
  const family = new Set<number>();
  for (let t: Task | undefined = task; t; t = t.parentId !== null ? model.taskById[t.parentId] : undefined) family.add(t.id);
  return model.tasks.some(
    (g) => g.kind === 'generator' && g.parentId !== null && family.has(g.parentId) && g.startMs <= fromMs && (g.endMs ?? model.wallMs) >= toMs - TICK_MS,
  );
}

function awaitInLoop(model: TraceModel, source: SourceOf | undefined): Hint[] {
  const hints: Hint[] = [];
  const twins = concurrentTwins(model);
  for (const task of model.tasks) {
    // A generator awaiting between its yields goes at its consumer's pace: not its own loop.
    if (task.segments.length < 4 || twins.has(task.id) || task.kind === 'generator') continue;
    // The waits that awaited one call each, with the negligible waits between them dropped.
    const sequence: (Call | null)[] = [];
    const durations: number[] = [];
    const raw: { call: Call | null; ms: number }[] = [];
    task.segments.forEach((seg, i) => {
      if (seg.kind !== 'wait') return;
      const call = awaitedCall(model, task, i);
      raw.push({ call, ms: seg.endMs - seg.startMs });
      if (call) durations.push(call.endMs - call.startMs);
    });
    if (durations.length < 2) continue;
    durations.sort((a, b) => a - b);
    const negligible = Math.max(1, 0.05 * durations[durations.length >> 1]!);
    for (const w of raw) if (w.call || w.ms > negligible) sequence.push(w.call);
    for (const { calls, period } of loopRuns(sequence)) {
      const hint = loopHint(model, task, calls, period, source);
      if (hint) hints.push(hint);
    }
  }
  hints.push(...topLevelLoops(model, source));
  return hints;
}

/** Runs of calls whose keys (await lines) repeat with a period of 1 to 4 (awaits per iteration). */
function loopRuns(sequence: (Call | null)[]): { calls: Call[]; period: number }[] {
  const runs: { calls: Call[]; period: number }[] = [];
  let k = 0;
  while (k < sequence.length) {
    if (!sequence[k]) {
      k++;
      continue;
    }
    let best: { period: number; length: number } | null = null;
    for (let period = 1; period <= 4; period++) {
      let j = k;
      while (j < sequence.length && sequence[j] && (j < k + period || sequence[j]!.key === sequence[j - period]!.key)) j++;
      const iterations = Math.floor((j - k) / period);
      const keys = new Set(sequence.slice(k, k + period).map((c) => c?.key));
      if (iterations >= 2 && keys.size === period && (!best || iterations * period > best.length)) best = { period, length: iterations * period };
    }
    if (!best) {
      k++;
      continue;
    }
    runs.push({ calls: sequence.slice(k, k + best.length) as Call[], period: best.period });
    k += best.length;
  }
  return runs;
}

/**
 * The script's own top-level code (not a task: its awaits are not in the trace) awaiting calls
 * one after another: top-level tasks of one function, each starting in the tick the previous one
 * ended (the awaiting code went on at once and made the next call).
 */
function topLevelLoops(model: TraceModel, source: SourceOf | undefined): Hint[] {
  const byFunction = new Map<string, Task[]>();
  for (const t of model.tasks) {
    // Anonymous functions at the top level are mostly promise-chain callbacks (a queue built with .then), not awaited calls.
    if (t.parentId !== null || t.endMs === null || t.name === '<anonymous>') continue;
    const key = `${t.name}\0${t.file}\0${t.line}`;
    let list = byFunction.get(key);
    if (!list) byFunction.set(key, (list = []));
    list.push(t);
  }
  const hints: Hint[] = [];
  for (const [key, tasks] of byFunction) {
    if (tasks.length < 2) continue;
    // In event order where the model has it: calls that share a clock tick have start times
    // that differ only by rounding, and sorted by those a loop's calls come out of order.
    if (tasks.every(hasOrder)) tasks.sort((a, b) => a.startSeq! - b.startSeq!);
    else tasks.sort((a, b) => a.startMs - b.startMs);
    const sequence: (Call | null)[] = [];
    // One at a time: a task that overlaps another of its function breaks the sequence; the others
    // follow on when each starts in the tick the previous one ended.
    const alone = tasks.map((t, i) => {
      const previous = tasks[i - 1];
      const next = tasks[i + 1];
      return (!previous || t.startMs >= previous.endMs! - TICK_MS) && (!next || next.startMs >= t.endMs! - TICK_MS);
    });
    let reach = Number.NEGATIVE_INFINITY;
    tasks.forEach((t, i) => {
      const previous = tasks[i - 1];
      const backToBack =
        alone[i] && previous !== undefined && alone[i - 1] && t.startMs >= reach - TICK_MS && (t.startMs - previous.endMs! <= TICK_MS || startsNext(previous, t));
      if (i > 0 && !backToBack) sequence.push(null);
      if (alone[i]) sequence.push({ key, line: 0, startMs: t.startMs, endMs: t.endMs!, taskId: t.id, rejected: t.outcome === 'rejected' });
      reach = Math.max(reach, t.endMs!);
    });
    for (const { calls } of loopRuns(sequence)) {
      const hint = loopHint(model, null, calls, 1, source);
      if (hint) hints.push(hint);
    }
  }
  return hints;
}

/**
 * Whether `next` started with the trace's very next event after `previous` ended: nothing the
 * script did in between (a timer, I/O, another task) was recorded, so the top-level code went
 * on from one to the other, however long its own synchronous work or a GC pause took.
 */
function startsNext(previous: Task, next: Task): boolean {
  return previous.endSeq != null && next.startSeq !== undefined && next.startSeq === previous.endSeq + 1;
}

/** The iteration protocol's methods. */
const ITERATION = /(^|\.)(next|return|throw)$/;

/** The hint for one loop of calls, or null when it is not a loop over independent calls (see the exclusions). */
function loopHint(model: TraceModel, task: Task | null, calls: Call[], period: number, source: SourceOf | undefined): Hint | null {
  const iterations: Call[][] = [];
  for (let i = 0; i < calls.length; i += period) iterations.push(calls.slice(i, i + period));
  // A retry loop (earlier attempts failed) is not a loop over independent calls.
  if (calls.slice(0, -1).some((c) => c.rejected)) return null;
  // Nor stepping an iterator (each next() depends on the previous one).
  if (calls.some((c) => c.taskId !== null && ITERATION.test(model.taskById[c.taskId]!.name))) return null;
  // Nor one fed by an async generator it iterates (for await over a stream of items).
  const loopStart = calls[0]!.startMs;
  const loopEnd = calls[calls.length - 1]!.endMs;
  if (task && iteratesGenerator(model, task, loopStart, loopEnd)) return null;
  // Nor calls that mostly waited for another task (a queue's get, a lock, a condition).
  const callMs = calls.reduce((sum, c) => sum + (c.endMs - c.startMs), 0);
  const waitingMs = calls.reduce((sum, c) => sum + (c.taskId !== null && waitsOnOthers(model, model.taskById[c.taskId]!) ? c.endMs - c.startMs : 0), 0);
  if (waitingMs >= 0.5 * callMs) return null;
  const lengths = iterations.map((it) => it[it.length - 1]!.endMs - it[0]!.startMs);
  const sum = lengths.reduce((a, b) => a + b, 0);
  const max = lengths.reduce((m, v) => Math.max(m, v), Number.NEGATIVE_INFINITY);
  const saving = sum - max;
  if (saving < Math.max(2, model.wallMs * 0.01)) return null;
  const first = calls[0]!;
  const callee = first.taskId !== null ? model.taskById[first.taskId]! : undefined;
  const calleeName = callee?.name ?? 'I/O';
  const what = period === 1 ? `calls to ${calleeName}` : `iterations (${period} awaits each, starting with ${calleeName})`;
  let file: string;
  let line: number;
  let who: string;
  if (task) {
    file = task.file;
    line = first.line;
    who = task.name;
  } else {
    // Top-level code: its await lines are not in the trace; look for the call in the script's source.
    const found = callee ? locateCall(source?.(model.script), callee.name, { awaited: true }) : undefined;
    file = found !== undefined ? model.script : (callee?.file ?? model.script);
    line = found ?? callee?.line ?? 0;
    who = `the top-level code of ${model.script}`;
  }
  return {
    kind: 1,
    name: HINT_NAMES[1],
    file,
    line,
    message:
      `await in a loop: ${who} awaited ${iterations.length} ${what} one after another (${fmt(sum)} in all, the longest ${fmt(max)}); ` +
      `if they do not depend on each other, start them all and await Promise.all (with a concurrency limit if there are many) to save about ${fmt(saving)}.`,
    savingMs: round(saving),
    taskIds: [...(task ? [task.id] : []), ...calls.filter((c) => c.taskId !== null).map((c) => c.taskId!)],
    ...(task ? { taskId: task.id } : {}),
  };
}

/**
 * The line of a call of `callee` in a source text (1-based): with `awaited`, a line that awaits
 * it (not through Promise.all & co.), preferring one inside a loop; without, a line that calls it
 * without await. Only lines in [from, to] when given. Undefined when not found or no source.
 */
export function locateCall(text: string | undefined, callee: string, options: { awaited: boolean; from?: number; to?: number }): number | undefined {
  if (text === undefined) return undefined;
  const short = callee.slice(callee.lastIndexOf('.') + 1).replace(/^#/, '');
  if (!/^[\w$]+$/.test(short)) return undefined;
  const lines = text.split('\n');
  const call = new RegExp(`(^|[^\\w$.])(this\\.|[\\w$]+\\.)?#?${short.replace(/\$/g, '\\$')}\\s*\\(`);
  const definition = new RegExp(
    `(function\\*?\\s+${short.replace(/\$/g, '\\$')}\\b|^\\s*(async\\s+)?(static\\s+)?\\*?#?${short.replace(/\$/g, '\\$')}\\s*\\([^)]*\\)\\s*(:[^{]*)?\\{\\s*$)`,
  );
  const from = Math.max(1, options.from ?? 1);
  const to = Math.min(lines.length, options.to ?? lines.length);
  let fallback: number | undefined;
  for (let n = from; n <= to; n++) {
    const code = lines[n - 1]!.replace(/\/\/.*$/, '');
    if (!call.test(code) || definition.test(code)) continue;
    const awaited = /\bawait\b/.test(code);
    if (options.awaited !== awaited) continue;
    if (options.awaited && /Promise\s*\.\s*(all|allSettled|race|any)\b/.test(code)) continue;
    if (!options.awaited) return n;
    // Inside a loop: a for/while header above it, less indented, within a few lines.
    const indent = /^\s*/.exec(code)![0].length;
    for (let m = n - 1; m >= Math.max(1, n - 6); m--) {
      const above = lines[m - 1]!;
      if (/^\s*(for|while|do)\b/.test(above) && /^\s*/.exec(above)![0].length < indent) return n;
    }
    fallback ??= n;
  }
  return fallback;
}

// ---------------------------------------------------------------------------------------------
// 2. blocking the loop

function blockingHints(model: TraceModel): Hint[] {
  const groups = new Map<
    string,
    { fn: string; file: string; line: number; chain: boolean; resumes: number; count: number; total: number; max: number; tasks: Set<number> }
  >();
  for (const b of model.blocking) {
    const chain = isAwaitChain(b);
    const key = `${b.function}\0${b.file}\0${b.line}\0${chain}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { fn: b.function, file: b.file, line: b.line, chain, resumes: 0, count: 0, total: 0, max: 0, tasks: new Set() }));
    g.resumes += b.awaitsResumed;
    g.count++;
    g.total += b.durationMs;
    g.max = Math.max(g.max, b.durationMs);
    if (b.taskId !== null) g.tasks.add(b.taskId);
  }
  return [...groups.values()]
    .sort((a, b) => b.total - a.total)
    .map((g) => ({
      kind: 2 as const,
      name: HINT_NAMES[2],
      file: g.file,
      line: g.line,
      message: g.chain
        ? `blocking the loop with awaits: ${g.resumes.toLocaleString('en-US')} awaits resumed one after another ${g.count === 1 ? `for ${fmt(g.max)}` : `in ${g.count} stretches, ${fmt(g.total)} in all (longest ${fmt(g.max)})`} without the loop turning (threshold ${model.blockingThresholdMs} ms), most of the time in ${g.fn} (${g.file}:${g.line}). ` +
          `An await of an async function that never waits for I/O or a timer resumes in the same pass of the microtask queue, so timers and I/O wait for the whole chain; ` +
          `yield to the loop now and then (await setImmediate() every few thousand steps), or make the functions that never wait plain functions.`
        : `blocking the loop: ${g.fn} (${g.file}:${g.line}) ran ${g.count === 1 ? `for ${fmt(g.max)}` : `${g.count} times for ${fmt(g.total)} in all (longest ${fmt(g.max)})`} without letting anything else run (threshold ${model.blockingThresholdMs} ms); ` +
          `move the work to a worker thread, or cut it into chunks that yield to the loop (await setImmediate) between them.`,
      taskIds: [...g.tasks],
      ...(g.tasks.size === 1 ? { taskId: [...g.tasks][0]! } : {}),
    }));
}

// ---------------------------------------------------------------------------------------------
// 3. floating promises

function floatingPromises(model: TraceModel, source: SourceOf | undefined): { hints: Hint[]; taskIds: Set<number> } {
  const awaited = awaitedTaskIds(model);
  const floating = new Set<number>();
  const groups = new Map<
    string,
    { parent: Task | null; task: Task; tasks: Task[]; outlivedMs: number; after: number; callLine: number | undefined; unhandled: string | null }
  >();
  const add = (task: Task, parent: Task | null, outlivedMs: number, unhandled: string | null) => {
    if (floating.has(task.id)) return;
    floating.add(task.id);
    const created = parent ? creationSegment(parent, task.startMs) : undefined;
    const after = created?.line ?? parent?.line ?? 0;
    const key = `${parent?.id ?? 0}\0${task.name}\0${task.file}\0${task.line}\0${unhandled !== null}`;
    let g = groups.get(key);
    if (!g) {
      // The call itself: between the line the parent's run started at and its next await.
      let callLine: number | undefined;
      if (parent && created && source) {
        const index = parent.segments.indexOf(created);
        const next = parent.segments[index + 1];
        const to = next && next.kind === 'wait' && next.line >= after ? next.line : after + 200;
        callLine = locateCall(source(parent.file), task.name, { awaited: false, from: after, to });
      }
      groups.set(key, (g = { parent, task, tasks: [], outlivedMs: 0, after, callLine, unhandled }));
    }
    g.tasks.push(task);
    g.outlivedMs = Math.max(g.outlivedMs, outlivedMs);
  };

  // A rejection nobody handled: the rejected task nobody awaited that ended last before the error.
  for (const error of model.errors) {
    if (error.origin !== 'unhandledRejection') continue;
    let culprit: Task | undefined;
    for (const t of model.tasks) {
      if (t.outcome !== 'rejected' || awaited.has(t.id) || t.endMs === null) continue;
      if (error.atMs !== null && t.endMs > error.atMs + RESUME_TOLERANCE_MS) continue;
      if (!culprit || t.endMs > culprit.endMs!) culprit = t;
    }
    if (culprit) add(culprit, culprit.parentId !== null ? model.taskById[culprit.parentId]! : null, 0, `${error.name}: ${error.message}`);
  }

  // Started by its parent's own code (not from a callback), not awaited, and still running when the parent finished.
  for (const t of model.tasks) {
    if (t.parentId === null || awaited.has(t.id) || t.kind === 'generator') continue;
    const parent = model.taskById[t.parentId];
    // A generator's end is its consumer's doing, not its own: leave its children out.
    if (!parent || parent.endMs === null || parent.kind === 'generator' || t.startMs > parent.endMs + TICK_MS) continue;
    const end = t.endMs ?? model.wallMs;
    if (end - parent.endMs <= Math.max(1, RESUME_TOLERANCE_MS)) continue;
    if (!creationSegment(parent, t.startMs)) continue;
    add(t, parent, end - parent.endMs, null);
  }

  const hints: Hint[] = [];
  for (const g of groups.values()) {
    const { task, parent } = g;
    const many = g.tasks.length > 1 ? `${g.tasks.length} calls of ` : '';
    const rejected = g.tasks.some((t) => t.outcome === 'rejected');
    const what = g.unhandled
      ? `its rejection went unhandled (${g.unhandled})`
      : `${g.tasks.length > 1 ? 'they were' : 'it was'} still running ${fmt(g.outlivedMs)} after ${parent?.name ?? 'its caller'} finished` +
        (g.tasks.some((t) => t.endMs === null) ? ' (or never finished)' : rejected ? ', then rejected with nobody awaiting' : '');
    const at = g.callLine !== undefined && parent ? { file: parent.file, line: g.callLine } : { file: task.file, line: task.line };
    const from = parent ? (g.callLine !== undefined ? ` in ${parent.name}` : ` in ${parent.name} (${parent.file}, after line ${g.after})`) : '';
    hints.push({
      kind: 3,
      name: HINT_NAMES[3],
      file: at.file,
      line: at.line,
      message:
        `floating promise: ${many}${task.name} (${task.file}:${task.line}) called without await${from}, and ${what}; ` +
        `await it (or keep the promise and await it, e.g. with Promise.all, before returning) so its errors and its time are not lost.`,
      taskIds: g.tasks.map((t) => t.id),
      ...(parent ? { taskId: parent.id } : {}),
    });
  }
  return { hints, taskIds: floating };
}

// ---------------------------------------------------------------------------------------------
// 4. unbounded fan-out

function unboundedFanout(model: TraceModel, threshold: number): Hint[] {
  const groups = new Map<string, { parent: Task | null; tasks: Task[] }>();
  for (const t of model.tasks) {
    // Top-level tasks (started outside any task) are grouped by function.
    const key = t.parentId !== null ? `p${t.parentId}` : `f${t.name}\0${t.file}\0${t.line}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { parent: t.parentId !== null ? (model.taskById[t.parentId] ?? null) : null, tasks: [] }));
    g.tasks.push(t);
  }
  const hints: Hint[] = [];
  for (const { parent, tasks } of groups.values()) {
    if (tasks.length <= threshold) continue;
    // A task queued behind its siblings (its first wait ends as a sibling ends, e.g. a semaphore) is not in flight until then.
    const ends = tasks.map((t) => t.endMs).filter((e): e is number => e !== null).sort((a, b) => a - b);
    const active = tasks.map((t) => ({ startMs: queuedUntil(model, t, ends), endMs: t.endMs }));
    const curve = concurrencyCurve(active as Task[], 0, model.wallMs);
    if (curve.maxTasks <= threshold) continue;
    const peakAt = curve.times[curve.values.indexOf(curve.maxTasks)] ?? tasks[0]!.startMs;
    // Capped after all (p-limit, a pool): the tasks that got going after the peak each did so as a sibling ended.
    const later = active.map((a) => a.startMs).filter((at) => at > peakAt + TICK_MS);
    if (later.length > 0) {
      let paced = 0;
      for (const at of later) {
        let lo = 0;
        let hi = ends.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (ends[mid]! <= at + TICK_MS) lo = mid + 1;
          else hi = mid;
        }
        const end = ends[lo - 1];
        if (end !== undefined && causes(model, end, at)) paced++;
      }
      if (paced >= 0.8 * later.length) continue;
    }
    const first = tasks[0]!;
    const names = new Map<string, number>();
    for (const t of tasks) names.set(t.name, (names.get(t.name) ?? 0) + 1);
    const main = [...names].sort((a, b) => b[1] - a[1])[0]![0];
    const limit = Math.max(10, Math.min(50, Math.round(Math.sqrt(curve.maxTasks))));
    const where = parent ? { file: parent.file, line: lineAt(parent, first.startMs) } : { file: first.file, line: first.line };
    hints.push({
      kind: 4,
      name: HINT_NAMES[4],
      file: where.file,
      line: where.line,
      message:
        `unbounded fan-out: ${parent ? parent.name : 'the script'} had ${curve.maxTasks} ${main} tasks in flight at once (at ${fmt(peakAt)}; ${tasks.length} started in all, threshold ${threshold}); ` +
        `cap how many run at once (a pool of workers, or p-limit with a limit such as ${limit}) so memory, sockets and the services called are not flooded.`,
      taskIds: tasks.map((t) => t.id),
      ...(parent ? { taskId: parent.id } : {}),
    });
  }
  return hints;
}

/**
 * When a task really got going: after a first wait that nothing explains and that ended as a
 * sibling ended (queued behind a pool or a semaphore, possibly inside a child such as
 * `acquire()`), else at its start. Found on the task's critical path.
 */
const GETTING_GOING: ReadonlySet<StepKind> = new Set(['run', 'delay', 'blocking']);

function queuedUntil(model: TraceModel, task: Task, siblingEnds: number[]): number {
  const step = firstStep(model, task.id, GETTING_GOING);
  if (step) {
    if (step.kind !== 'wait' || step.endMs - step.startMs <= RESUME_TOLERANCE_MS) return task.startMs;
    // The latest sibling end at or before the wait's end.
    let lo = 0;
    let hi = siblingEnds.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (siblingEnds[mid]! <= step.endMs + TICK_MS) lo = mid + 1;
      else hi = mid;
    }
    const end = siblingEnds[lo - 1];
    return end !== undefined && end >= step.startMs && causes(model, end, step.endMs) ? step.endMs : task.startMs;
  }
  return task.startMs;
}

// ---------------------------------------------------------------------------------------------
// 5. a timer left running

function timersLeftRunning(model: TraceModel): Hint[] {
  let lastTaskEnd = 0;
  for (const t of model.tasks) if (t.endMs !== null && t.endMs > lastTaskEnd) lastTaskEnd = t.endMs;
  // The last sign of work: a task ending, or an I/O callback.
  let lastWork = lastTaskEnd;
  for (const r of model.resources) {
    if (TIMER_TYPES.has(r.type)) continue;
    for (const at of r.callbacksMs) if (at > lastWork) lastWork = at;
  }
  const tail = model.wallMs - lastWork;
  if (tail < Math.max(20, 0.05 * model.wallMs)) return [];
  const killed = model.signal !== null || !model.complete;
  const hints: Hint[] = [];
  const candidates: { resource: Resource; how: string }[] = [];
  for (const r of model.resources) {
    if (r.type !== 'setTimeout' && r.type !== 'setInterval') continue;
    if (r.createdMs > lastWork) continue;
    const lastCallback = r.callbacksMs[r.callbacksMs.length - 1];
    const stillActive = r.endMs === null || r.endMs >= model.wallMs - RESUME_TOLERANCE_MS;
    if (r.type === 'setTimeout' && lastCallback !== undefined && lastCallback > lastWork && lastCallback >= model.wallMs - Math.max(RESUME_TOLERANCE_MS * 5, 0.02 * model.wallMs)) {
      // Fired at the very end, long after the work was done: the process waited for it.
      candidates.push({ resource: r, how: `fired ${fmt(lastCallback - lastWork)} after the last task ended, and the process waited for it` });
    } else if (r.type === 'setInterval' && stillActive && (r.callbacksMs.some((at) => at > lastWork) || killed)) {
      candidates.push({ resource: r, how: `was still ticking ${fmt(tail)} after the last task ended${killed ? ` (the process only stopped when ${model.signal ? `killed by ${model.signal}` : 'killed'})` : ''}` });
    }
  }
  for (const { resource, how } of candidates) {
    const owner = resource.taskId !== null ? model.taskById[resource.taskId] : undefined;
    const file = owner?.file ?? model.script;
    const line = owner ? lineAt(owner, resource.createdMs) : 0;
    const clear = resource.type === 'setInterval' ? 'clearInterval' : 'clearTimeout';
    hints.push({
      kind: 5,
      name: HINT_NAMES[5],
      file,
      line,
      message:
        `timer left running: a ${resource.type} created ${owner ? `in ${owner.name} (${file}:${line})` : 'outside any task'} ${how}; ` +
        `${clear} it (or pass an AbortSignal) once its result no longer matters, or unref() it if it must not keep the process alive.`,
      savingMs: round(tail),
      taskIds: owner ? [owner.id] : [],
      ...(owner ? { taskId: owner.id } : {}),
    });
  }
  return hints;
}

// ---------------------------------------------------------------------------------------------
// 6. pending at exit

function pendingAtExit(model: TraceModel, reported: Set<number>): Hint[] {
  const groups = new Map<string, { task: Task; line: number; tasks: Task[] }>();
  for (const t of model.tasks) {
    if (t.endMs !== null || reported.has(t.id)) continue;
    const last = t.segments[t.segments.length - 1];
    const line = last?.kind === 'wait' ? last.line : t.line;
    const key = `${t.name}\0${t.file}\0${t.line}\0${line}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { task: t, line, tasks: [] }));
    g.tasks.push(t);
  }
  const how = model.signal ? `was killed by ${model.signal}` : !model.complete ? 'was killed' : `exited (code ${model.exitCode ?? '?'})`;
  return [...groups.values()].map((g) => {
    const since = g.tasks.reduce((m, t) => Math.min(m, t.segments[t.segments.length - 1]?.startMs ?? t.startMs), Number.POSITIVE_INFINITY);
    return {
      kind: 6 as const,
      name: HINT_NAMES[6],
      file: g.task.file,
      line: g.line,
      message:
        `pending at exit: ${g.tasks.length > 1 ? `${g.tasks.length} ${g.task.name} tasks were` : `${g.task.name} was`} still waiting at ${g.task.file}:${g.line} (since ${fmt(since)}) when the process ${how}; ` +
        `make sure what ${g.tasks.length > 1 ? 'they await' : 'it awaits'} settles (resolve or reject it, or cancel it with an AbortSignal) and await ${g.tasks.length > 1 ? 'them' : 'it'} before the script ends.`,
      taskIds: g.tasks.map((t) => t.id),
    };
  });
}

