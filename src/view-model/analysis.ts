// The optional `analysis` section of the view model: what the comparison view, the critical-path
// highlight and the hints panel need, computed server-side with src/analysis/ (the browser gets
// no TraceModel). Small on purpose: figures only for the longest tasks that have children, capped
// lists, task references as display indices. An old viewer ignores the section; a trace too big
// to analyse quickly gets none (the viewer then hides what needs it).
import { concurrencyCurve } from '../analysis/concurrency.js';
import { criticalPath, criticalPathLengths } from '../analysis/critical-path.js';
import { findDependencies } from '../analysis/dependencies.js';
import { findHints, type SourceOf } from '../analysis/hints.js';
import { runPhases } from '../analysis/phases.js';
import { taskDuration } from '../analysis/waits.js';
import type { Task, TraceModel } from '../model/types.js';

/** Figures of one phase (a task and its children), as `async-prof compare` prints them. */
export interface ViewPhaseStats {
  /** Display index of the task. */
  task: number;
  wallMs: number;
  workMs: number;
  parallelism: number;
  maxConcurrency: number;
  criticalPathMs: number;
  /** What hint 1 estimates running its awaits-in-a-loop together would save (0: none). */
  loopSavingMs: number;
  /** Tasks whose durations make workMs. */
  workTasks: number;
  /** Display indices of the tasks on its critical path, outermost first (capped). */
  criticalPath: number[];
}

export interface ViewPhase {
  name: string;
  startMs: number;
  endMs: number;
  /** Display indices of its tasks (capped). */
  tasks: number[];
  /** All of its tasks, before the cap. */
  taskCount: number;
}

export interface ViewHint {
  kind: number;
  name: string;
  file: string;
  line: number;
  message: string;
  savingMs?: number;
  /** Display index of the task whose code it is about, or -1. */
  task: number;
}

export interface ViewAnalysis {
  /** Figures of the longest tasks that have children (at most MAX_STATS). */
  stats: ViewPhaseStats[];
  /** Phases of the run's main task (runPhases). */
  phases: ViewPhase[];
  /** The pair "Compare phases" opens with: the two longest single-task phases, in time order (display indices). */
  suggested: [a: number, b: number] | null;
  /** The whole run's critical path: display indices (capped) and length. */
  criticalPath: number[];
  criticalPathMs: number;
  hints: ViewHint[];
  /** Who awaited whom: [waiter, awaited, kind (0 await, 1 all, 2 race), resumed (0/1)] (capped). */
  dependencies: [waiter: number, task: number, kind: number, resumed: number][];
  /** Set when something was left out (too big a trace, an analysis that failed). */
  note?: string;
}

const MAX_STATS = 400;
const MAX_PATH_TASKS = 400;
const MAX_PHASES = 200;
const MAX_PHASE_TASKS = 200;
const MAX_HINTS = 200;
const MAX_DEPENDENCIES = 20_000;
/** Beyond this many tasks the analyses take seconds: the section is left out. */
const MAX_TASKS = 200_000;
const DEPENDENCY_KINDS = { await: 0, all: 1, race: 2 } as const;

const round = (v: number) => Math.round(v * 1000) / 1000;

export function buildViewAnalysis(model: TraceModel, displayIndexOf: (id: number | null) => number, source?: SourceOf): ViewAnalysis | undefined {
  if (model.tasks.length > MAX_TASKS) return undefined;
  const note: string[] = [];
  const guarded = <T>(what: string, fallback: T, f: () => T): T => {
    try {
      return f();
    } catch (error) {
      note.push(`${what}: ${(error as Error).message}`);
      return fallback;
    }
  };
  const indices = (ids: readonly number[], cap: number) => ids.slice(0, cap).map(displayIndexOf).filter((d) => d >= 0);

  const plainHints = guarded('hints', [], () => findHints(model));
  const lengths = guarded('critical path', new Map<number, number>(), () => criticalPathLengths(model));

  // Loop savings by the looping task, added up the ancestors (compare.ts's loopSavingMs).
  const savingUnder = new Map<number, number>();
  for (const hint of plainHints) {
    if (hint.kind !== 1 || hint.savingMs === undefined || hint.taskId === undefined) continue;
    for (let t: Task | undefined = model.taskById[hint.taskId]; t; t = t.parentId !== null ? model.taskById[t.parentId] : undefined) {
      savingUnder.set(t.id, (savingUnder.get(t.id) ?? 0) + hint.savingMs);
    }
  }

  const parents = model.tasks.filter((t) => t.children.length > 0);
  parents.sort((x, y) => taskDuration(y, model.wallMs) - taskDuration(x, model.wallMs) || x.id - y.id);
  const stats: ViewPhaseStats[] = [];
  for (const task of parents.slice(0, MAX_STATS)) {
    const endMs = task.endMs ?? model.wallMs;
    const wallMs = endMs - task.startMs;
    const children = task.children.map((id) => model.taskById[id]).filter((t): t is Task => !!t);
    const workMs = children.reduce((sum, t) => sum + taskDuration(t, model.wallMs), 0);
    const path = guarded('critical path', [] as number[], () => criticalPath(model, task.id).taskIds);
    stats.push({
      task: displayIndexOf(task.id),
      wallMs: round(wallMs),
      workMs: round(workMs),
      parallelism: round(wallMs > 0 ? workMs / wallMs : 0),
      maxConcurrency: concurrencyCurve(children, task.startMs, endMs).maxTasks,
      criticalPathMs: round(lengths.get(task.id) ?? wallMs),
      loopSavingMs: round(savingUnder.get(task.id) ?? 0),
      workTasks: children.length,
      criticalPath: indices(path, MAX_PATH_TASKS),
    });
  }
  if (parents.length > MAX_STATS) note.push(`figures for the ${MAX_STATS} longest of ${parents.length} tasks with children`);

  const phases: ViewPhase[] = guarded('phases', [], () =>
    runPhases(model)
      .slice(0, MAX_PHASES)
      .map((p) => ({ name: p.name, startMs: round(p.startMs), endMs: round(p.endMs), tasks: indices(p.taskIds, MAX_PHASE_TASKS), taskCount: p.taskIds.length })),
  );
  // Two longest phases made of one task with children (sequentialDownload, parallelDownload), in time order.
  const withStats = new Set(stats.map((s) => s.task));
  const candidates = phases.filter((p) => p.taskCount === 1 && withStats.has(p.tasks[0]!));
  candidates.sort((x, y) => y.endMs - y.startMs - (x.endMs - x.startMs));
  const pair = candidates.slice(0, 2).sort((x, y) => x.startMs - y.startMs);
  const suggested: [number, number] | null = pair.length === 2 ? [pair[0]!.tasks[0]!, pair[1]!.tasks[0]!] : null;

  const run = guarded('critical path', null, () => criticalPath(model, null));
  const hints: ViewHint[] = guarded('hints', [], () => (source ? findHints(model, { source }) : plainHints))
    .slice(0, MAX_HINTS)
    .map((hint) => ({
      kind: hint.kind,
      name: hint.name,
      file: hint.file,
      line: hint.line,
      message: hint.message,
      ...(hint.savingMs !== undefined ? { savingMs: round(hint.savingMs) } : {}),
      task: hint.taskId === undefined ? -1 : displayIndexOf(hint.taskId),
    }));
  const dependencies: ViewAnalysis['dependencies'] = [];
  for (const d of guarded('dependencies', [], () => findDependencies(model))) {
    if (dependencies.length >= MAX_DEPENDENCIES) {
      note.push(`the first ${MAX_DEPENDENCIES} dependencies`);
      break;
    }
    const waiter = displayIndexOf(d.waiterId);
    const task = displayIndexOf(d.taskId);
    if (waiter >= 0 && task >= 0) dependencies.push([waiter, task, DEPENDENCY_KINDS[d.kind] ?? 0, d.resumed ? 1 : 0]);
  }

  return {
    stats,
    phases,
    suggested,
    criticalPath: run ? indices(run.taskIds, MAX_PATH_TASKS) : [],
    criticalPathMs: run ? round(run.lengthMs) : 0,
    hints,
    dependencies,
    ...(note.length > 0 ? { note: note.join('; ') } : {}),
  };
}
