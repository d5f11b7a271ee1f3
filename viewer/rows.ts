// Which lanes are shown, in order: tasks depth-first (collapsed subtrees skipped, filtered ones
// hidden), each followed by its resource lanes when resources are on. A row is a task's display
// index (>= 0) or a resource group g encoded as -(g + 1).
import { OUTCOME_NAMES } from '../src/view-model/types.js';
import type { Trace } from './trace.js';

/** At first, tasks are expanded level by level while the lanes stay within this many. */
export const INITIAL_LANES = 2000;

export const MATCH = 1;
export const ANCESTOR = 2;

// The row encoding, in one place: a new kind of lane (a thread's header, say) is a new range of
// numbers here and a case where rows are drawn (draw-lanes.ts), labelled (labels.ts) and hit (hit.ts).
/** The row of resource group g. */
export const resourceRow = (g: number): number => -(g + 1);
/** The resource group of a row that is not a task's (isTaskRow false). */
export const resourceGroupOf = (row: number): number => -row - 1;
/** A task's row is the task's display index. */
export const isTaskRow = (row: number): boolean => row >= 0;
/** Thread headers (one per thread, when the run recorded worker threads) lie below every resource row. */
const THREAD_ROW_BASE = -(2 ** 30);
/** The header row of the thread at index k of the header's thread list. */
export const threadRow = (k: number): number => THREAD_ROW_BASE - k;
export const isThreadRow = (row: number): boolean => row <= THREAD_ROW_BASE;
/** The thread (index in the header's list) of a thread header row. */
export const threadOfRow = (row: number): number => THREAD_ROW_BASE - row;

/** Per task (display index) a small number; replaced as a whole when it changes, never written in place. */
export type TaskMarks = { readonly [task: number]: number; readonly length: number };

/** What decides the lanes besides the data (the view state's keys of the same names). */
export interface LaneChoice {
  /** Per task: 1 when its subtree is folded away. */
  collapsed: TaskMarks;
  showResources: boolean;
  /** Per task: 0 hidden, MATCH, ANCESTOR of a match; null when no filter is set. */
  filter: TaskMarks | null;
  /** Per thread (index in the header's list): 1 when its group shows its header only. */
  collapsedGroups: TaskMarks;
}

/**
 * Which tasks start collapsed: all with children, then expanded breadth-first (shallow tasks
 * first, in display order) while the number of lanes stays within INITIAL_LANES. A lone root is
 * always expanded, so the first screen never shows a single lane.
 */
export function initialCollapsed(trace: Trace): Uint8Array {
  const { taskChildren, taskParent, taskSize } = trace.c;
  const n = trace.n;
  const collapsed = new Uint8Array(n);
  let lanes = 0;
  let level: number[] = [];
  for (let i = 0; i < n; i += taskSize[i]!) {
    if (taskParent[i] === -1) {
      level.push(i);
      lanes++;
    }
  }
  for (let i = 0; i < n; i++) if (taskChildren[i]! > 0) collapsed[i] = 1;
  const lone = level.length <= 3;
  while (level.length > 0) {
    const next: number[] = [];
    for (const i of level) {
      const kids = taskChildren[i]!;
      if (kids === 0) continue;
      if (lanes + kids > INITIAL_LANES && !(lone && taskParent[i] === -1)) continue;
      collapsed[i] = 0;
      lanes += kids;
      for (let k = i + 1; k < i + taskSize[i]!; k += taskSize[k]!) next.push(k);
    }
    level = next;
  }
  return collapsed;
}

export function computeRows(trace: Trace, state: LaneChoice): Int32Array {
  const threads = trace.threads;
  const out = new Int32Array(trace.n + threads.length + (state.showResources ? trace.groups : 0));
  if (threads.length === 0) return out.subarray(0, taskRows(trace, state, 0, trace.n, out, 0, true));
  // One group per thread, the main thread first: its header, then its tasks unless folded.
  let count = 0;
  threads.forEach((thread, k) => {
    out[count++] = threadRow(k);
    if (state.collapsedGroups[k] !== 1) count = taskRows(trace, state, thread.firstTask, thread.endTask, out, count, k === 0);
  });
  return out.subarray(0, count);
}

/** The rows of the tasks [from, to) (a forest) into `out` from `count`; returns the new count. */
function taskRows(trace: Trace, state: LaneChoice, from: number, to: number, out: Int32Array, start: number, withOrphans: boolean): number {
  const { taskSize } = trace.c;
  const n = to;
  let count = start;
  const filter = state.filter;
  let i = from;
  while (i < n) {
    if (filter && filter[i] === 0) {
      i += taskSize[i]!; // nothing in this subtree matches
      continue;
    }
    out[count++] = i;
    if (state.showResources) {
      const [g0, g1] = trace.groupsOf(i);
      for (let g = g0; g < g1; g++) out[count++] = resourceRow(g);
    }
    // A filter shows every match, inside collapsed tasks too.
    i += !filter && state.collapsed[i] ? taskSize[i]! : 1;
  }
  if (withOrphans && state.showResources && !filter) {
    const [g0, g1] = trace.orphanGroups();
    for (let g = g0; g < g1; g++) out[count++] = resourceRow(g);
  }
  return count;
}

/** The rows of the last call, recomputed only when the data or a lane choice was replaced. */
export class RowCache {
  private key: [Trace, TaskMarks, boolean, TaskMarks | null, TaskMarks] | null = null;
  private rows: Int32Array = new Int32Array(0);

  rowsFor(trace: Trace, choice: LaneChoice): Int32Array {
    const key = this.key;
    if (!key || key[0] !== trace || key[1] !== choice.collapsed || key[2] !== choice.showResources || key[3] !== choice.filter || key[4] !== choice.collapsedGroups) {
      this.rows = computeRows(trace, choice);
      this.key = [trace, choice.collapsed, choice.showResources, choice.filter, choice.collapsedGroups];
    }
    return this.rows;
  }
}

/** Every task with children folded (collapsed) or none. */
export function allCollapsed(trace: Trace, collapsed: boolean): Uint8Array {
  const { taskChildren } = trace.c;
  const out = new Uint8Array(trace.n);
  if (collapsed) for (let i = 0; i < trace.n; i++) out[i] = taskChildren[i]! > 0 ? 1 : 0;
  return out;
}

/** The task's ancestors unfolded; the same array when they all were. */
export function withAncestorsExpanded(trace: Trace, collapsed: TaskMarks, task: number): TaskMarks {
  const folded = trace.ancestors(task).filter((a) => collapsed[a]);
  if (folded.length === 0) return collapsed;
  const out = Uint8Array.from(collapsed as ArrayLike<number>);
  for (const a of folded) out[a] = 0;
  return out;
}

/** The task's subtree folded or unfolded. */
export function withToggled(collapsed: TaskMarks, task: number): TaskMarks {
  const out = Uint8Array.from(collapsed as ArrayLike<number>);
  out[task] = out[task] ? 0 : 1;
  return out;
}

export interface FilterQuery {
  text: string;
  outcome: '' | (typeof OUTCOME_NAMES)[number];
}

/** Tasks matching the query (name or file contains the text, "file:line" also matches the line). */
export function computeFilter(trace: Trace, query: FilterQuery): { filter: Uint8Array | null; matches: number } {
  const text = query.text.trim().toLowerCase();
  if (!text && !query.outcome) return { filter: null, matches: trace.n };
  const strings = trace.strings;
  let wantLine = -1;
  let needle = text;
  const located = /^(.*):(\d+)$/.exec(text);
  if (located) {
    needle = located[1]!;
    wantLine = Number(located[2]);
  }
  const hit = new Uint8Array(strings.length);
  for (let s = 0; s < strings.length; s++) if (!needle || strings[s]!.toLowerCase().includes(needle)) hit[s] = 1;
  const outcome = query.outcome ? OUTCOME_NAMES.indexOf(query.outcome) : -1;
  const { taskName, taskFile, taskLine, taskOutcome, taskParent } = trace.c;
  const filter = new Uint8Array(trace.n);
  let matches = 0;
  for (let i = 0; i < trace.n; i++) {
    if (outcome >= 0 && taskOutcome[i] !== outcome) continue;
    let ok: boolean;
    if (!text) ok = true;
    else if (wantLine >= 0) ok = hit[taskFile[i]!] === 1 && taskLine[i] === wantLine;
    else ok = hit[taskName[i]!] === 1 || hit[taskFile[i]!] === 1;
    if (ok) {
      filter[i] = MATCH;
      matches++;
    }
  }
  // Ancestors of matches stay, for context (parents come before children in display order).
  for (let i = trace.n - 1; i >= 0; i--) {
    const p = taskParent[i]!;
    if (filter[i] !== 0 && p >= 0 && filter[p] === 0) filter[p] = ANCESTOR;
  }
  return { filter, matches };
}
