// The optional `analysis` section of the view model: what the comparison view, the critical-path
// highlight and the hints panel need, from the run's analysis (src/analysis/; the browser gets
// no TraceModel). Small on purpose: figures only for the longest tasks that have children, capped
// lists, task references as display indices. An old viewer ignores the section.
import { loopSavings } from '../analysis/compare.js';
import { concurrencySweep } from '../analysis/concurrency.js';
import { pathTasks } from '../analysis/critical-path.js';
import type { Analysis } from '../analysis/pipeline.js';
import { endOrWall, taskDuration } from '../analysis/waits.js';

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

const round = (v: number) => Math.round(v * 1000) / 1000;

/** `displayIndexOf` maps a task index of the model's columns to its display index. */
export function buildViewAnalysis(analysis: Analysis, displayIndexOf: (task: number) => number): ViewAnalysis {
  const { model, paths } = analysis;
  const T = model.columns.tasks;
  const note: string[] = [...analysis.cutShort];
  const byId = (ids: readonly number[], cap: number) => ids.slice(0, cap).map((id) => T.indexOfId(id)).filter((t) => t >= 0).map(displayIndexOf);
  const savings = loopSavings(analysis).under;

  const parents: number[] = [];
  for (let t = 0; t < T.count; t++) if (T.childOff[t + 1]! > T.childOff[t]!) parents.push(t);
  parents.sort((x, y) => taskDuration(model, y) - taskDuration(model, x) || T.id[x]! - T.id[y]!);
  const stats: ViewPhaseStats[] = [];
  for (const t of parents.slice(0, MAX_STATS)) {
    const endMs = endOrWall(model, t);
    const wallMs = endMs - T.start[t]!;
    const children = T.children.subarray(T.childOff[t]!, T.childOff[t + 1]!);
    let workMs = 0;
    for (const c of children) workMs += taskDuration(model, c);
    const curve = concurrencySweep(
      Float64Array.from(children, (c) => T.start[c]!),
      Float64Array.from(children, (c) => endOrWall(model, c)),
      T.start[t]!,
      endMs,
    );
    stats.push({
      task: displayIndexOf(t),
      wallMs: round(wallMs),
      workMs: round(workMs),
      parallelism: round(wallMs > 0 ? workMs / wallMs : 0),
      maxConcurrency: curve.maxTasks,
      criticalPathMs: round(paths ? paths.lengthMs[t]! : wallMs),
      loopSavingMs: round(savings.get(t) ?? 0),
      workTasks: children.length,
      criticalPath: paths ? pathTasks(paths, t, MAX_PATH_TASKS).map(displayIndexOf) : [],
    });
  }
  if (parents.length > MAX_STATS) note.push(`figures for the ${MAX_STATS} longest of ${parents.length} tasks with children`);

  const phases: ViewPhase[] = [];
  for (let i = 0; i < Math.min(MAX_PHASES, analysis.phases.length); i++) {
    const p = analysis.phases;
    phases.push({ name: p.nameOf(i), startMs: round(p.startOf(i)), endMs: round(p.endOf(i)), tasks: p.tasksOf(i).slice(0, MAX_PHASE_TASKS).map(displayIndexOf), taskCount: p.taskCount(i) });
  }
  // Two longest phases made of one task with children (sequentialDownload, parallelDownload), in time order.
  const withStats = new Set(stats.map((s) => s.task));
  const candidates = phases.filter((p) => p.taskCount === 1 && withStats.has(p.tasks[0]!));
  candidates.sort((x, y) => y.endMs - y.startMs - (x.endMs - x.startMs));
  const pair = candidates.slice(0, 2).sort((x, y) => x.startMs - y.startMs);
  const suggested: [number, number] | null = pair.length === 2 ? [pair[0]!.tasks[0]!, pair[1]!.tasks[0]!] : null;

  const run = analysis.runPath;
  const hints: ViewHint[] = analysis.hints.slice(0, MAX_HINTS).map((hint) => ({
    kind: hint.kind,
    name: hint.name,
    file: hint.file,
    line: hint.line,
    message: hint.message,
    ...(hint.savingMs !== undefined ? { savingMs: round(hint.savingMs) } : {}),
    task: hint.taskId === undefined ? -1 : byId([hint.taskId], 1)[0] ?? -1,
  }));
  const dependencies: ViewAnalysis['dependencies'] = [];
  const d = analysis.dependencies;
  if (d) {
    for (let k = 0; k < d.count; k++) {
      if (dependencies.length >= MAX_DEPENDENCIES) {
        note.push(`the first ${MAX_DEPENDENCIES} dependencies`);
        break;
      }
      const waiter = displayIndexOf(d.waiter[k]!);
      const task = displayIndexOf(d.task[k]!);
      if (waiter >= 0 && task >= 0) dependencies.push([waiter, task, d.kind[k]!, d.resumed[k]!]);
    }
  }

  return {
    stats,
    phases,
    suggested,
    criticalPath: run ? run.tasks.slice(0, MAX_PATH_TASKS).map(displayIndexOf) : [],
    criticalPathMs: run ? round(run.lengthMs) : 0,
    hints,
    dependencies,
    ...(note.length > 0 ? { note: note.join('; ') } : {}),
  };
}
