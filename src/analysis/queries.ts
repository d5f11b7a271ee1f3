// The analyses' answers about one task or the run, by task id and as plain objects: for tests,
// commands and anything else that looks at a few tasks. They read the model's analysis
// (pipeline.ts), computed once; nothing here walks the whole trace per call.
import type { TraceModel } from '../model/types.js';
import { bottlenecks as groupBottlenecks, expandedPath, pathTasks, runCriticalPath, StepList, taskCriticalPath, type Bottleneck, type CriticalPath } from './critical-path.js';
import { dependencyObject, edgesOfWaiter, findDependencies as dependencyPass, type Dependencies, type Dependency } from './dependencies.js';
import type { Hint } from './hints/types.js';
import { mainTask as mainTaskIndex, taskPhases as phasesOf, type Phase } from './phases.js';
import { analysisOf, type Analysis } from './pipeline.js';
import { explainWait as explain, type Resumer } from './waits.js';
import { unmetered } from './work.js';

function indexOf(model: TraceModel, taskId: number): number {
  const t = model.columns.tasks.indexOfId(taskId);
  if (t < 0) throw new RangeError(`no task #${taskId}`);
  return t;
}

/** The dependency edges, even when the pipeline's pass was cut short (computed again, unmetered). */
function dependencies(analysis: Analysis): Dependencies {
  return analysis.dependencies ?? dependencyPass(analysis.waits, unmetered('dependencies'));
}

/** Every dependency edge, in order of the waits. */
export function allDependencies(model: TraceModel): Dependency[] {
  const d = dependencies(analysisOf(model));
  const out: Dependency[] = [];
  for (let k = 0; k < d.count; k++) out.push(dependencyObject(model, d, k));
  return out;
}

/** What task `taskId` awaited, and what awaited it. */
export function dependenciesOf(model: TraceModel, taskId: number): { awaits: Dependency[]; awaitedBy: Dependency[] } {
  const t = indexOf(model, taskId);
  const d = dependencies(analysisOf(model));
  const [from, to] = edgesOfWaiter(model, d, t);
  const awaits: Dependency[] = [];
  for (let k = from; k < to; k++) awaits.push(dependencyObject(model, d, k));
  const awaitedBy: Dependency[] = [];
  for (let k = 0; k < d.count; k++) if (d.task[k] === t) awaitedBy.push(dependencyObject(model, d, k));
  return { awaits, awaitedBy };
}

/** One task's critical path with its steps, or the whole run's (null). */
export function criticalPath(model: TraceModel, taskId: number | null): CriticalPath {
  const analysis = analysisOf(model);
  if (taskId === null) return expandedPath(analysis.runPath ?? runCriticalPath(analysis.pathContext, unmetered('run critical path')), model);
  const t = indexOf(model, taskId);
  if (!analysis.paths) throw new Error('the critical path pass was cut short');
  return taskCriticalPath(analysis.pathContext, analysis.paths, t);
}

/** Every task's critical-path length, by task id. */
export function criticalPathLengths(model: TraceModel): Map<number, number> {
  const { paths } = analysisOf(model);
  const T = model.columns.tasks;
  const lengths = new Map<number, number>();
  if (paths) for (let t = 0; t < T.count; t++) lengths.set(T.id[t]!, paths.lengthMs[t]!);
  return lengths;
}

/** The ids of the tasks on task `taskId`'s critical path, outermost first. */
export function criticalPathTaskIds(model: TraceModel, taskId: number): number[] {
  const { paths } = analysisOf(model);
  const T = model.columns.tasks;
  const t = indexOf(model, taskId);
  return paths ? pathTasks(paths, t).map((u) => T.id[u]!) : [taskId];
}

/** Where a path's time went (see critical-path.ts bottlenecks). */
export function bottlenecks(model: TraceModel, path: CriticalPath, limit?: number): Bottleneck[] {
  const analysis = analysisOf(model);
  const T = model.columns.tasks;
  const R = model.columns.resources;
  const steps = new StepList(analysis.pathContext);
  const kinds = ['run', 'blocking', 'resource', 'wait', 'delay', 'script'];
  for (const s of path.steps) {
    const task = s.taskId !== null ? T.indexOfId(s.taskId) : -1;
    steps.push(kinds.indexOf(s.kind), task, s.startMs, s.endMs, s.line, s.blockingIndex ?? -1, s.resourceId !== undefined ? R.indexOfId(s.resourceId) : -1, false);
  }
  return groupBottlenecks(model, steps, limit);
}

/** Phases of a task's children (by id; null: the top-level tasks). */
export function taskPhases(model: TraceModel, taskId: number | null): Phase[] {
  return phasesOf(model, taskId === null ? -1 : indexOf(model, taskId), unmetered('phases')).toPhases();
}

/** Phases of the run's main task. */
export function runPhases(model: TraceModel): Phase[] {
  return analysisOf(model).phases.toPhases();
}

/** The id of the top-level task the run is about (the longest), or null. */
export function mainTaskId(model: TraceModel): number | null {
  const t = mainTaskIndex(model);
  return t >= 0 ? model.columns.tasks.id[t]! : null;
}

export function findHints(model: TraceModel): Hint[] {
  return analysisOf(model).hints;
}

/** What ended the wait that is segment `segment` (its index in the task's segments) of task `taskId`. */
export function explainWait(model: TraceModel, taskId: number, segment: number): { childrenEnded: number[]; resumer: Resumer | null } {
  const t = indexOf(model, taskId);
  const T = model.columns.tasks;
  const s = T.segOff[t]! + segment;
  const { childrenEnded, resumer } = explain(analysisOf(model).waits, t, s, model.columns.segments.end[s]!, unmetered('explain wait'));
  return { childrenEnded: childrenEnded.map((c) => T.id[c]!), resumer };
}
