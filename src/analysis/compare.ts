// Sequential against parallel, before against after: the figures of a phase (a task and its
// children, or a whole run) and the comparison of two of them.
//
//   wallMs          the phase's duration (a task: start to end; a run: the run's wall time)
//   workMs          sum of the durations of the phase's child tasks (a task with no children is
//                   its own work); for a whole run, of its leaf tasks (tasks with no children),
//                   since a run has no single parent: this keeps nested tasks from counting twice
//   parallelism     workMs / wallMs: how many of those tasks were in flight on average
//   maxConcurrency  most of those tasks in flight at once
//   criticalPathMs  the phase's critical path (critical-path.ts): the best it could do with
//                   unlimited concurrency and the same code
//   loopSavingMs    what the await-in-loop hint says running its loops' calls together would save
//   speedup         a.wallMs / b.wallMs (> 1: b is faster)
import type { Task, TraceModel } from '../model/types.js';
import { concurrencySweep } from './concurrency.js';
import { pathTasks } from './critical-path.js';
import { HINT_KINDS } from './hints/registry.js';
import { analysisOf, type Analysis } from './pipeline.js';
import { endOrWall, taskDuration } from './waits.js';

export interface PhaseStats {
  wallMs: number;
  workMs: number;
  parallelism: number;
  maxConcurrency: number;
  criticalPathMs: number;
  /** What the figures are of (a task id, null: the run). */
  taskId: number | null;
  name: string;
  file: string;
  line: number;
  startMs: number;
  endMs: number;
  /** The tasks whose durations make workMs. */
  workTasks: number;
  /** The tasks on the critical path (ids), outermost first. */
  criticalPathTaskIds: number[];
  /**
   * What the await-in-loop hint estimates the phase would save if the calls it awaits one after
   * another in loops ran together (0 when none): the critical path keeps the code's order, this
   * says how much of it is that order.
   */
  loopSavingMs: number;
}

export interface Comparison {
  a: PhaseStats;
  b: PhaseStats;
  speedup: number;
}

export interface TaskChange {
  name: string;
  file: string;
  line: number;
  a: TaskGroupStats | null;
  b: TaskGroupStats | null;
  /** b.totalMs - a.totalMs (a missing side counts as 0). */
  deltaMs: number;
  /** a.spanMs / b.spanMs when both sides have the task. */
  speedup: number | null;
}

export interface TaskGroupStats {
  count: number;
  /** Sum of the durations of the tasks of that name. */
  totalMs: number;
  maxMs: number;
  /** From the first one's start to the last one's end. */
  spanMs: number;
}

export interface RunComparison extends Comparison {
  /** Tasks by name, largest changes (|deltaMs|) first. */
  tasks: TaskChange[];
}

const round = (v: number, digits = 3) => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

/** "name" (the first task with that name), "42" or "#42" (by id), "name#42". */
export function findTask(model: TraceModel, spec: string): Task | undefined {
  const text = spec.trim();
  const id = /^#?(\d+)$/.exec(text);
  if (id) return model.taskById[Number(id[1])];
  const named = /^(.+)#(\d+)$/.exec(text);
  if (named) {
    const task = model.taskById[Number(named[2])];
    return task && task.name === named[1] ? task : undefined;
  }
  const T = model.columns.tasks;
  for (let t = 0; t < T.count; t++) if (model.functions.name[T.fn[t]!] === text) return model.taskById[T.id[t]!];
  return undefined;
}

/**
 * Per task: what the await-in-loop hints whose looping task is it or under it would save, added
 * in the order of the hints; and the total of all of them (top-level loops included).
 */
export function loopSavings(analysis: Analysis): { under: Map<number, number>; total: number } {
  const memo = loopSavingMemo.get(analysis);
  if (memo) return memo;
  const { model } = analysis;
  const T = model.columns.tasks;
  const under = new Map<number, number>();
  let total = 0;
  const kind = HINT_KINDS['await-in-loop'];
  for (const hint of analysis.hints) {
    if (hint.kind !== kind || hint.savingMs === undefined) continue;
    total += hint.savingMs;
    if (hint.taskId === undefined) continue;
    for (let t = T.indexOfId(hint.taskId); t >= 0; t = T.parent[t]!) under.set(t, (under.get(t) ?? 0) + hint.savingMs);
  }
  const result = { under, total };
  loopSavingMemo.set(analysis, result);
  return result;
}
const loopSavingMemo = new WeakMap<Analysis, { under: Map<number, number>; total: number }>();

export function phaseStats(model: TraceModel, taskId: number | null): PhaseStats {
  const analysis = analysisOf(model);
  const T = model.columns.tasks;
  const savings = loopSavings(analysis);
  if (taskId === null) {
    const path = analysis.runPath;
    const leaves: number[] = [];
    for (let t = 0; t < T.count; t++) if (T.childOff[t + 1] === T.childOff[t]) leaves.push(t);
    const curve = concurrencySweep(
      Float64Array.from(leaves, (t) => T.start[t]!),
      Float64Array.from(leaves, (t) => endOrWall(model, t)),
      0,
      model.wallMs,
    );
    const workMs = leaves.reduce((sum, t) => sum + taskDuration(model, t), 0);
    return {
      wallMs: round(model.wallMs),
      workMs: round(workMs),
      parallelism: round(model.wallMs > 0 ? workMs / model.wallMs : 0),
      maxConcurrency: curve.maxTasks,
      criticalPathMs: round(path?.lengthMs ?? 0),
      taskId: null,
      name: model.script,
      file: model.script,
      line: 0,
      startMs: 0,
      endMs: round(model.wallMs),
      workTasks: leaves.length,
      criticalPathTaskIds: path ? path.tasks.map((t) => T.id[t]!) : [],
      loopSavingMs: round(savings.total),
    };
  }
  const t = T.indexOfId(taskId);
  if (t < 0) throw new RangeError(`no task #${taskId}`);
  const endMs = endOrWall(model, t);
  const wallMs = endMs - T.start[t]!;
  const children = Array.from(T.children.subarray(T.childOff[t]!, T.childOff[t + 1]!));
  const work = children.length > 0 ? children : [t];
  const workMs = work.reduce((sum, u) => sum + taskDuration(model, u), 0);
  const curve = concurrencySweep(
    Float64Array.from(work, (u) => T.start[u]!),
    Float64Array.from(work, (u) => endOrWall(model, u)),
    T.start[t]!,
    endMs,
  );
  const fn = T.fn[t]!;
  return {
    wallMs: round(wallMs),
    workMs: round(workMs),
    parallelism: round(wallMs > 0 ? workMs / wallMs : 0),
    maxConcurrency: curve.maxTasks,
    criticalPathMs: round(analysis.paths ? analysis.paths.lengthMs[t]! : wallMs),
    taskId,
    name: model.functions.name[fn]!,
    file: model.functions.file[fn]!,
    line: model.functions.line[fn]!,
    startMs: round(T.start[t]!),
    endMs: round(endMs),
    workTasks: work.length,
    criticalPathTaskIds: analysis.paths ? pathTasks(analysis.paths, t).map((u) => T.id[u]!) : [taskId],
    loopSavingMs: round(savings.under.get(t) ?? 0),
  };
}

export function compareStats(a: PhaseStats, b: PhaseStats): Comparison {
  return { a, b, speedup: round(b.wallMs > 0 ? a.wallMs / b.wallMs : Number.POSITIVE_INFINITY) };
}

export function comparePhases(model: TraceModel, taskA: number, taskB: number): Comparison {
  return compareStats(phaseStats(model, taskA), phaseStats(model, taskB));
}

function groupByName(model: TraceModel): Map<string, { first: number; stats: TaskGroupStats }> {
  const T = model.columns.tasks;
  const groups = new Map<string, { first: number; stats: TaskGroupStats; start: number; end: number }>();
  for (let t = 0; t < T.count; t++) {
    const d = taskDuration(model, t);
    const end = endOrWall(model, t);
    const name = model.functions.name[T.fn[t]!]!;
    const g = groups.get(name);
    if (!g) {
      groups.set(name, { first: t, stats: { count: 1, totalMs: d, maxMs: d, spanMs: 0 }, start: T.start[t]!, end });
    } else {
      g.stats.count++;
      g.stats.totalMs += d;
      g.stats.maxMs = Math.max(g.stats.maxMs, d);
      g.start = Math.min(g.start, T.start[t]!);
      g.end = Math.max(g.end, end);
    }
  }
  const result = new Map<string, { first: number; stats: TaskGroupStats }>();
  for (const [name, g] of groups) {
    result.set(name, {
      first: g.first,
      stats: { count: g.stats.count, totalMs: round(g.stats.totalMs), maxMs: round(g.stats.maxMs), spanMs: round(g.end - g.start) },
    });
  }
  return result;
}

export function compareRuns(modelA: TraceModel, modelB: TraceModel): RunComparison {
  const base = compareStats(phaseStats(modelA, null), phaseStats(modelB, null));
  const groupsA = groupByName(modelA);
  const groupsB = groupByName(modelB);
  const names = new Set([...groupsA.keys(), ...groupsB.keys()]);
  const tasks: TaskChange[] = [];
  for (const name of names) {
    const a = groupsA.get(name);
    const b = groupsB.get(name);
    const [model, first] = a ? [modelA, a.first] : [modelB, b!.first];
    const fn = model.columns.tasks.fn[first]!;
    tasks.push({
      name,
      file: model.functions.file[fn]!,
      line: model.functions.line[fn]!,
      a: a?.stats ?? null,
      b: b?.stats ?? null,
      deltaMs: round((b?.stats.totalMs ?? 0) - (a?.stats.totalMs ?? 0)),
      speedup: a && b && b.stats.spanMs > 0 ? round(a.stats.spanMs / b.stats.spanMs) : null,
    });
  }
  tasks.sort((x, y) => Math.abs(y.deltaMs) - Math.abs(x.deltaMs) || x.name.localeCompare(y.name));
  return { ...base, tasks };
}
