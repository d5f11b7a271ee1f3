// Phases: the stretches a task's work falls into. Child tasks of one parent that overlap in time
// form one phase; a child that does not overlap its siblings before and after starts a new one
// (so `await a(); await b();` gives two phases and `await Promise.all([a(), b()])` one).
// performance.measure() entries of the script are phases too, and performance.mark() entries
// are markers.
//
// Pure and browser-safe. API:
//   taskPhases(model, parentId | null): Phase[]   phases of one task's children (null: the top-level tasks)
//   mainTask(model): Task | undefined             the top-level task the run is about (the longest)
//   runPhases(model): Phase[]                     taskPhases of the main task
//   markPhases(model): { measures: Phase[]; marks: Marker[] }
import type { Task, TraceModel } from '../model/types.js';
import { hasOrder, taskDuration } from './waits.js';

export interface Phase {
  name: string;
  source: 'tasks' | 'measure';
  startMs: number;
  endMs: number;
  durationMs: number;
  /** The parent whose children make the phase (null: top-level tasks, or a measure). */
  parentId: number | null;
  /** The tasks of the phase, in order of their start (empty for a measure). */
  taskIds: number[];
}

export interface Marker {
  name: string;
  atMs: number;
}

export function taskPhases(model: TraceModel, parentId: number | null): Phase[] {
  const parent = parentId === null ? undefined : model.taskById[parentId];
  const children =
    parentId === null ? model.tasks.filter((t) => t.parentId === null) : (parent?.children ?? []).map((id) => model.taskById[id]!).filter(Boolean);
  // Overlap is decided by event order where the model has it: within a clock tick, times tie (or
  // a sequence of calls looks like it overlaps by a tick), the order of events never does.
  const ordered = children.every(hasOrder);
  const start = ordered ? (t: Task) => t.startSeq! : (t: Task) => t.startMs;
  const end = ordered ? (t: Task) => t.endSeq ?? Number.POSITIVE_INFINITY : (t: Task) => t.endMs ?? model.wallMs;
  const sorted = [...children].sort((a, b) => start(a) - start(b) || a.id - b.id);
  const phases: Phase[] = [];
  let group: Task[] = [];
  let groupEnd = Number.NEGATIVE_INFINITY;
  let groupEndMs = Number.NEGATIVE_INFINITY;
  const close = () => {
    if (group.length === 0) return;
    const startMs = group[0]!.startMs;
    phases.push({ name: phaseName(group), source: 'tasks', startMs, endMs: groupEndMs, durationMs: groupEndMs - startMs, parentId, taskIds: group.map((t) => t.id) });
    group = [];
  };
  for (const task of sorted) {
    // Touching is not overlapping: the next of a sequence starts as the previous one ends.
    if (group.length > 0 && start(task) >= groupEnd) close();
    if (group.length === 0) {
      groupEnd = Number.NEGATIVE_INFINITY;
      groupEndMs = Number.NEGATIVE_INFINITY;
    }
    group.push(task);
    groupEnd = Math.max(groupEnd, end(task));
    groupEndMs = Math.max(groupEndMs, task.endMs ?? model.wallMs);
  }
  close();
  return phases;
}

function phaseName(tasks: Task[]): string {
  const counts = new Map<string, number>();
  for (const t of tasks) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
  const parts = [...counts].map(([name, n]) => (n > 1 ? `${name} ×${n}` : name));
  return parts.length > 3 ? `${parts.slice(0, 3).join(' + ')} + …` : parts.join(' + ');
}

/** The top-level task the run is about: the longest one (ties: the first). */
export function mainTask(model: TraceModel): Task | undefined {
  let best: Task | undefined;
  for (const t of model.tasks) {
    if (t.parentId !== null) continue;
    if (!best || taskDuration(t, model.wallMs) > taskDuration(best, model.wallMs)) best = t;
  }
  return best;
}

export function runPhases(model: TraceModel): Phase[] {
  const main = mainTask(model);
  return main ? taskPhases(model, main.id) : [];
}

export function markPhases(model: TraceModel): { measures: Phase[]; marks: Marker[] } {
  const measures: Phase[] = [];
  const marks: Marker[] = [];
  for (const m of model.marks) {
    if (m.kind === 'measure') {
      measures.push({ name: m.name, source: 'measure', startMs: m.startMs, endMs: m.startMs + m.durationMs, durationMs: m.durationMs, parentId: null, taskIds: [] });
    } else {
      marks.push({ name: m.name, atMs: m.startMs });
    }
  }
  measures.sort((a, b) => a.startMs - b.startMs);
  marks.sort((a, b) => a.atMs - b.atMs);
  return { measures, marks };
}
