// Which lanes are shown, in order: tasks depth-first (collapsed subtrees skipped, filtered ones
// hidden), each followed by its resource lanes when resources are on. A row is a task's display
// index (>= 0) or a resource group g encoded as -(g + 1).
import { OUTCOME_NAMES } from '../src/view-model/types.js';
import type { Trace } from './trace.js';

/** At first, tasks are expanded level by level while the lanes stay within this many. */
export const INITIAL_LANES = 2000;

export const MATCH = 1;
export const ANCESTOR = 2;

export interface RowState {
  collapsed: Uint8Array;
  showResources: boolean;
  /** Per task: 0 hidden, MATCH, ANCESTOR of a match; null when no filter is set. */
  filter: Uint8Array | null;
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

export function computeRows(trace: Trace, state: RowState): Int32Array {
  const { taskSize } = trace.c;
  const n = trace.n;
  const out = new Int32Array(n + (state.showResources ? trace.groups : 0));
  let count = 0;
  const filter = state.filter;
  let i = 0;
  while (i < n) {
    if (filter && filter[i] === 0) {
      i += taskSize[i]!; // nothing in this subtree matches
      continue;
    }
    out[count++] = i;
    if (state.showResources) {
      const [g0, g1] = trace.groupsOf(i);
      for (let g = g0; g < g1; g++) out[count++] = -(g + 1);
    }
    // A filter shows every match, inside collapsed tasks too.
    i += !filter && state.collapsed[i] ? taskSize[i]! : 1;
  }
  if (state.showResources && !filter) {
    const [g0, g1] = trace.orphanGroups();
    for (let g = g0; g < g1; g++) out[count++] = -(g + 1);
  }
  return out.subarray(0, count);
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
