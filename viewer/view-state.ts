// What the page shows, in one place: the data, the time window, the lanes (collapsed, filtered,
// resources, scroll), the selection, the theme and the comparison. The timeline draws from it
// each frame, the panels show from it; input handlers change it through view-actions.ts (the
// time window and the scroll through their controllers, which clamp them). Which part writes
// which key: docs/viewer.md.
import { initialCollapsed, type FilterQuery, type TaskMarks } from './rows.js';
import type { ThemeName } from './theme.js';
import type { Trace } from './trace.js';

/** A stretch of the run's clock, ms from the script's start. */
export interface TimeWindow {
  readonly from: number;
  readonly to: number;
}

export interface TaskFilter {
  readonly query: FilterQuery;
  /** Per task: 0 hidden, MATCH, ANCESTOR of a match (rows.ts). */
  readonly marks: TaskMarks;
  readonly matches: number;
}

/** Two phases (display indices of tasks) side by side in the comparison view. */
export interface ComparePair {
  readonly a: number;
  readonly b: number;
}

export interface ViewState {
  /**
   * The run on screen. Task indices below are display indices into it. A live mode replaces it
   * as the run grows (and maps the indices over); everything that draws reads it from here.
   */
  readonly trace: Trace;
  /** The visible stretch of time (written by the zoom controller, or a live feed). */
  readonly window: TimeWindow;
  /** The window follows the end of a growing run. Any zoom by the user turns it off. */
  readonly followLive: boolean;
  /** How far the lanes are scrolled, CSS px (written by the timeline, which clamps it). */
  readonly scrollY: number;
  /** The selected task, -1 for none. */
  readonly selectedTask: number;
  /** The selected blocking stretch (index into trace.header.blocking), -1 for none. */
  readonly selectedBlocking: number;
  /** Per task: 1 when its subtree is folded away. */
  readonly collapsed: TaskMarks;
  /** Per thread (index in trace.threads): 1 when its lane group shows its busy/idle strip only. */
  readonly collapsedGroups: TaskMarks;
  readonly showResources: boolean;
  readonly filter: TaskFilter | null;
  readonly theme: ThemeName;
  /** The comparison view, open on this pair, or closed (null). */
  readonly compare: ComparePair | null;
}

/** The run with a margin of 1% on each side: the widest the window gets. */
export function runExtent(trace: Trace): TimeWindow {
  const pad = trace.wall * 0.01;
  return { from: -pad, to: trace.wall + pad };
}

export function initialViewState(trace: Trace, theme: ThemeName): ViewState {
  return {
    trace,
    window: runExtent(trace),
    followLive: false,
    scrollY: 0,
    selectedTask: -1,
    selectedBlocking: -1,
    collapsed: initialCollapsed(trace),
    collapsedGroups: new Uint8Array(trace.threads.length),
    showResources: false,
    filter: null,
    theme,
    compare: null,
  };
}

/** The lane rows depend on these keys only (rows.ts). */
export const ROW_KEYS = ['trace', 'collapsed', 'collapsedGroups', 'showResources', 'filter'] as const satisfies readonly (keyof ViewState)[];
