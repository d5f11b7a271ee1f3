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

/** A column of the per-handler table (a field of its rows; `topAwait` sorts by that await's wait time). */
export type HandlerColumn = 'name' | 'count' | 'p50Ms' | 'p90Ms' | 'p99Ms' | 'maxMs' | 'totalMs' | 'runShare' | 'topAwait' | 'blockingMs';

export interface HandlerSort {
  readonly column: HandlerColumn;
  readonly descending: boolean;
}

/** The calls of one handler marked on the timeline. */
export interface HandlerHighlight {
  /** Index of the row in trace.header.handlers. */
  readonly handler: number;
  /** Per task: 0, HIGHLIGHTED (a call of it) or CONTAINS (an ancestor of one): handler-highlight.ts. */
  readonly marks: TaskMarks;
  /** Calls marked. */
  readonly count: number;
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
  /** The per-handler table: shown or folded, and its order. */
  readonly handlersOpen: boolean;
  readonly handlerSort: HandlerSort;
  /** The handler whose calls the timeline marks, or none. */
  readonly highlight: HandlerHighlight | null;
  /** `run --live`: the run is still going (the data grows), has ended, or the page is not live. */
  readonly live: 'off' | 'running' | 'ended';
  /** `run --live --keep`: the last snapshot asked for from the page (null: the server takes none). */
  readonly snapshot: LiveSnapshot | null;
}

export interface LiveSnapshot {
  readonly state: 'idle' | 'pending' | 'done' | 'failed';
  /** The trace's path (done) or what went wrong (failed). */
  readonly text: string;
}

/** The per-handler table starts open when a function has at least this many calls. */
export const HANDLERS_OPEN_CALLS = 20;

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
    // Open when some function was called many times: then the table says more than the lanes
    // (for a handful of calls the lanes say it all, and keep the room).
    handlersOpen: (trace.header.handlers ?? []).some((row) => row.count >= HANDLERS_OPEN_CALLS),
    handlerSort: { column: 'totalMs', descending: true },
    highlight: null,
    live: 'off',
    snapshot: null,
  };
}

/** While a live page follows the run: the last this many ms of it (all of it while shorter). */
export const LIVE_SPAN_MS = 30_000;

/** The window that follows a live run: its end, with the last LIVE_SPAN_MS before it. */
export function liveWindow(trace: Trace): TimeWindow {
  const extent = runExtent(trace);
  return { from: Math.max(extent.from, trace.wall - LIVE_SPAN_MS), to: extent.to };
}

/** The lane rows depend on these keys only (rows.ts). */
export const ROW_KEYS = ['trace', 'collapsed', 'collapsedGroups', 'showResources', 'filter'] as const satisfies readonly (keyof ViewState)[];
