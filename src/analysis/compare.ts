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
//   loopSavingMs    (added) what hint 1 says running its awaits-in-a-loop together would save
//   speedup         a.wallMs / b.wallMs (> 1: b is faster)
//
// Pure and browser-safe. API (the viewer's comparison view calls these):
//   findTask(model, spec): Task | undefined    "name" (first task with that name), "42", "#42", "name#42"
//   phaseStats(model, taskId | null): PhaseStats
//   comparePhases(model, taskA, taskB): Comparison      two subtrees of one trace
//   compareRuns(modelA, modelB): RunComparison          two runs, and their tasks by name
//   compareStats(a, b): Comparison
import type { Task, TraceModel } from '../model/types.js';
import { concurrencyCurve } from './concurrency.js';
import { criticalPath } from './critical-path.js';
import { findHints } from './hints.js';
import { taskDuration } from './waits.js';

export interface PhaseStats {
  wallMs: number;
  workMs: number;
  parallelism: number;
  maxConcurrency: number;
  criticalPathMs: number;
  /** Added: what the figures are of. */
  taskId: number | null;
  name: string;
  file: string;
  line: number;
  startMs: number;
  endMs: number;
  /** The tasks whose durations make workMs. */
  workTasks: number;
  /** The tasks on the critical path, outermost first. */
  criticalPathTaskIds: number[];
  /**
   * What hint 1 (await in a loop) estimates the phase would save if the calls it awaits one
   * after another in loops ran together (0 when none): the critical path keeps the code's order,
   * this says how much of it is that order.
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
  return model.tasks.find((t) => t.name === text);
}

/** Sum of the savings of the await-in-loop hints whose looping task is `taskId` or under it (all of them for null). */
function loopSaving(model: TraceModel, taskId: number | null): number {
  let total = 0;
  for (const hint of findHints(model)) {
    if (hint.kind !== 1 || hint.savingMs === undefined) continue;
    if (taskId !== null) {
      // The looping task must be the phase or under it (top-level loops belong to the run only).
      if (hint.taskId === undefined) continue;
      let inside = false;
      for (let t = model.taskById[hint.taskId]; t && !inside; t = t.parentId !== null ? model.taskById[t.parentId] : undefined) inside = t.id === taskId;
      if (!inside) continue;
    }
    total += hint.savingMs;
  }
  return round(total);
}

export function phaseStats(model: TraceModel, taskId: number | null): PhaseStats {
  const path = criticalPath(model, taskId);
  if (taskId === null) {
    const leaves = model.tasks.filter((t) => t.children.length === 0);
    const curve = concurrencyCurve(leaves, 0, model.wallMs);
    const workMs = leaves.reduce((sum, t) => sum + taskDuration(t, model.wallMs), 0);
    return {
      wallMs: round(model.wallMs),
      workMs: round(workMs),
      parallelism: round(model.wallMs > 0 ? workMs / model.wallMs : 0),
      maxConcurrency: curve.maxTasks,
      criticalPathMs: round(path.lengthMs),
      taskId: null,
      name: model.script,
      file: model.script,
      line: 0,
      startMs: 0,
      endMs: round(model.wallMs),
      workTasks: leaves.length,
      criticalPathTaskIds: path.taskIds,
      loopSavingMs: loopSaving(model, null),
    };
  }
  const task = model.taskById[taskId];
  if (!task) throw new RangeError(`no task #${taskId}`);
  const endMs = task.endMs ?? model.wallMs;
  const wallMs = endMs - task.startMs;
  const children = task.children.map((id) => model.taskById[id]!).filter(Boolean);
  const work = children.length > 0 ? children : [task];
  const workMs = work.reduce((sum, t) => sum + taskDuration(t, model.wallMs), 0);
  const curve = concurrencyCurve(work, task.startMs, endMs);
  return {
    wallMs: round(wallMs),
    workMs: round(workMs),
    parallelism: round(wallMs > 0 ? workMs / wallMs : 0),
    maxConcurrency: curve.maxTasks,
    criticalPathMs: round(path.lengthMs),
    taskId,
    name: task.name,
    file: task.file,
    line: task.line,
    startMs: round(task.startMs),
    endMs: round(endMs),
    workTasks: work.length,
    criticalPathTaskIds: path.taskIds,
    loopSavingMs: loopSaving(model, taskId),
  };
}

export function compareStats(a: PhaseStats, b: PhaseStats): Comparison {
  return { a, b, speedup: round(b.wallMs > 0 ? a.wallMs / b.wallMs : Number.POSITIVE_INFINITY) };
}

export function comparePhases(model: TraceModel, taskA: number, taskB: number): Comparison {
  return compareStats(phaseStats(model, taskA), phaseStats(model, taskB));
}

function groupByName(model: TraceModel): Map<string, { first: Task; stats: TaskGroupStats }> {
  const groups = new Map<string, { first: Task; stats: TaskGroupStats; start: number; end: number }>();
  for (const t of model.tasks) {
    const d = taskDuration(t, model.wallMs);
    const end = t.endMs ?? model.wallMs;
    const g = groups.get(t.name);
    if (!g) {
      groups.set(t.name, { first: t, stats: { count: 1, totalMs: d, maxMs: d, spanMs: 0 }, start: t.startMs, end });
    } else {
      g.stats.count++;
      g.stats.totalMs += d;
      g.stats.maxMs = Math.max(g.stats.maxMs, d);
      g.start = Math.min(g.start, t.startMs);
      g.end = Math.max(g.end, end);
    }
  }
  const result = new Map<string, { first: Task; stats: TaskGroupStats }>();
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
    const first = (a ?? b)!.first;
    tasks.push({
      name,
      file: first.file,
      line: first.line,
      a: a?.stats ?? null,
      b: b?.stats ?? null,
      deltaMs: round((b?.stats.totalMs ?? 0) - (a?.stats.totalMs ?? 0)),
      speedup: a && b && b.stats.spanMs > 0 ? round(a.stats.spanMs / b.stats.spanMs) : null,
    });
  }
  tasks.sort((x, y) => Math.abs(y.deltaMs) - Math.abs(x.deltaMs) || x.name.localeCompare(y.name));
  return { ...base, tasks };
}
