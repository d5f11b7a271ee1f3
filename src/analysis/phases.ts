// Phases: the stretches a task's work falls into. Child tasks of one parent that overlap in time
// form one phase; a child that does not overlap its siblings before and after starts a new one
// (so `await a(); await b();` gives two phases and `await Promise.all([a(), b()])` one).
// performance.measure() entries of the script are phases too, and performance.mark() entries
// are markers. Overlap is decided by event order: within a clock tick, times tie (or a sequence
// of calls looks like it overlaps by a tick), the order of events never does.
import type { TraceModel } from '../model/types.js';
import { endOrWall, taskDuration } from './waits.js';
import type { Work } from './work.js';

export interface Phase {
  name: string;
  source: 'tasks' | 'measure';
  startMs: number;
  endMs: number;
  durationMs: number;
  /** The parent whose children make the phase (its id; null: top-level tasks, or a measure). */
  parentId: number | null;
  /** The tasks of the phase (ids), in order of their start (empty for a measure). */
  taskIds: number[];
}

export interface Marker {
  name: string;
  atMs: number;
}

/** Phases of the children of task `parent` (an index; -1: the top-level tasks). */
export function taskPhases(model: TraceModel, parent: number, work: Work): Phase[] {
  const T = model.columns.tasks;
  let children: ArrayLike<number>;
  if (parent >= 0) children = T.children.subarray(T.childOff[parent]!, T.childOff[parent + 1]!);
  else {
    const roots: number[] = [];
    for (let t = 0; t < T.count; t++) if (T.parent[t]! < 0) roots.push(t);
    children = roots;
    work.add(T.count);
  }
  // Children are in the order they started (by event order) already.
  const parentId = parent >= 0 ? T.id[parent]! : null;
  const phases: Phase[] = [];
  let group: number[] = [];
  let groupEnd = Number.NEGATIVE_INFINITY;
  let groupEndMs = Number.NEGATIVE_INFINITY;
  const close = () => {
    if (group.length === 0) return;
    const startMs = T.start[group[0]!]!;
    phases.push({ name: phaseName(model, group), source: 'tasks', startMs, endMs: groupEndMs, durationMs: groupEndMs - startMs, parentId, taskIds: group.map((t) => T.id[t]!) });
    group = [];
  };
  for (let k = 0; k < children.length; k++) {
    work.add();
    const t = children[k]!;
    // Touching is not overlapping: the next of a sequence starts as the previous one ends.
    if (group.length > 0 && T.startSeq[t]! >= groupEnd) close();
    if (group.length === 0) {
      groupEnd = Number.NEGATIVE_INFINITY;
      groupEndMs = Number.NEGATIVE_INFINITY;
    }
    group.push(t);
    groupEnd = Math.max(groupEnd, T.endSeq[t]! < 0 ? Number.POSITIVE_INFINITY : T.endSeq[t]!);
    groupEndMs = Math.max(groupEndMs, endOrWall(model, t));
  }
  close();
  return phases;
}

function phaseName(model: TraceModel, tasks: number[]): string {
  // Most phases are one call (a loop's iterations): its name, without counting.
  if (tasks.length === 1) return model.functions.name[model.columns.tasks.fn[tasks[0]!]!]!;
  const counts = new Map<string, number>();
  for (const t of tasks) {
    const name = model.functions.name[model.columns.tasks.fn[t]!]!;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const parts = [...counts].map(([name, n]) => (n > 1 ? `${name} ×${n}` : name));
  return parts.length > 3 ? `${parts.slice(0, 3).join(' + ')} + …` : parts.join(' + ');
}

/** The top-level task the run is about: the longest one (ties: the first); -1 when there is none. */
export function mainTask(model: TraceModel): number {
  const T = model.columns.tasks;
  let best = -1;
  for (let t = 0; t < T.count; t++) {
    if (T.parent[t]! >= 0) continue;
    if (best < 0 || taskDuration(model, t) > taskDuration(model, best)) best = t;
  }
  return best;
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
