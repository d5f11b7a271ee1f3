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

/**
 * The phases of one task's children, as columns (a loop of a million awaited calls is a million
 * phases): each phase is a range of the children, in the order they started.
 */
export class PhaseList {
  length = 0;
  /** The phase's tasks: children[from[i] .. to[i]). */
  private from: Int32Array;
  private to: Int32Array;
  private endMs: Float64Array;

  constructor(
    private readonly model: TraceModel,
    /** The tasks the phases split, in the order they started (indices). */
    readonly children: ArrayLike<number>,
    /** The parent's id (null: the top-level tasks). */
    readonly parentId: number | null,
  ) {
    this.from = new Int32Array(Math.max(1, children.length));
    this.to = new Int32Array(Math.max(1, children.length));
    this.endMs = new Float64Array(Math.max(1, children.length));
  }

  add(from: number, to: number, endMs: number): void {
    const i = this.length++;
    this.from[i] = from;
    this.to[i] = to;
    this.endMs[i] = endMs;
  }

  startOf(i: number): number {
    return this.model.columns.tasks.start[this.children[this.from[i]!]!]!;
  }
  endOf(i: number): number {
    return this.endMs[i]!;
  }
  taskCount(i: number): number {
    return this.to[i]! - this.from[i]!;
  }
  /** Task indices of phase i. */
  tasksOf(i: number): number[] {
    const out: number[] = [];
    for (let k = this.from[i]!; k < this.to[i]!; k++) out.push(this.children[k]!);
    return out;
  }
  nameOf(i: number): string {
    return phaseName(this.model, this.children, this.from[i]!, this.to[i]!);
  }

  at(i: number): Phase {
    const T = this.model.columns.tasks;
    const startMs = this.startOf(i);
    const endMs = this.endOf(i);
    return { name: this.nameOf(i), source: 'tasks', startMs, endMs, durationMs: endMs - startMs, parentId: this.parentId, taskIds: this.tasksOf(i).map((t) => T.id[t]!) };
  }

  toPhases(): Phase[] {
    return Array.from({ length: this.length }, (_, i) => this.at(i));
  }
}

/** Phases of the children of task `parent` (an index; -1: the top-level tasks). */
export function taskPhases(model: TraceModel, parent: number, work: Work): PhaseList {
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
  const phases = new PhaseList(model, children, parent >= 0 ? T.id[parent]! : null);
  work.add(children.length);
  let groupFrom = 0;
  let groupEnd = Number.NEGATIVE_INFINITY;
  let groupEndMs = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < children.length; k++) {
    const t = children[k]!;
    // Touching is not overlapping: the next of a sequence starts as the previous one ends.
    if (k > groupFrom && T.startSeq[t]! >= groupEnd) {
      phases.add(groupFrom, k, groupEndMs);
      groupFrom = k;
      groupEnd = Number.NEGATIVE_INFINITY;
      groupEndMs = Number.NEGATIVE_INFINITY;
    }
    groupEnd = Math.max(groupEnd, T.endSeq[t]! < 0 ? Number.POSITIVE_INFINITY : T.endSeq[t]!);
    groupEndMs = Math.max(groupEndMs, endOrWall(model, t));
  }
  if (children.length > groupFrom) phases.add(groupFrom, children.length, groupEndMs);
  return phases;
}

function phaseName(model: TraceModel, tasks: ArrayLike<number>, from: number, to: number): string {
  const nameOf = (t: number) => model.functions.name[model.columns.tasks.fn[t]!]!;
  // Most phases are one call (a loop's iterations): its name, without counting.
  if (to - from === 1) return nameOf(tasks[from]!);
  const counts = new Map<string, number>();
  for (let k = from; k < to; k++) {
    const name = nameOf(tasks[k]!);
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
