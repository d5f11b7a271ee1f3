// The view model: what the browser gets. Built server-side from the TraceModel, shaped for a
// million task spans: columnar typed arrays (no object per task), strings interned in one table,
// tasks in display order (depth-first, children by start) so every subtree is a contiguous range.
// Times are ms from the script's start, like the TraceModel's.

import { Outcome } from '../../contract/trace-format.js';
import type { HandlerStats } from '../analysis/handler-stats.js';
import type { RequestRouteStats } from '../analysis/request-stats.js';
import type { LagSummary } from '../analysis/results.js';
import type { Frame, Mark, RunError } from '../model/types.js';
import type { ViewAnalysis } from './analysis.js';

// A task's outcome code is the trace's own (contract/trace-format.ts), one order everywhere.
export { OUTCOME_NAMES } from '../../contract/trace-format.js';
export const OUTCOME_FULFILLED = Outcome.Fulfilled;
export const OUTCOME_REJECTED = Outcome.Rejected;
export const OUTCOME_PENDING = Outcome.Pending;

export const SEGMENT_RUN = 0;
export const SEGMENT_WAIT = 1;

export interface ViewBlocking {
  startMs: number;
  /** The program's part (the profiler's own work inside left out). */
  durationMs: number;
  /** Where the loop was given back: the stretch as drawn. */
  endMs: number;
  /** Display index of the task the loop was running, or -1. */
  task: number;
  function: string;
  file: string;
  line: number;
  stack: Frame[];
  inside: Frame | null;
  samples: number;
  /** Awaits that resumed inside the stretch. */
  awaitsResumed: number;
  /** Held by a chain of awaits that never waited, not by one long call (analysis/await-chain.ts). */
  awaitChain: boolean;
}

export interface ViewMeta {
  script: string;
  args: string[];
  node: string;
  platform: string;
  startEpochMs: number;
  wallMs: number;
  exitCode: number | null;
  signal: string | null;
  complete: boolean;
  blockingThresholdMs: number;
  /** False when the sampling profiler was off (--sampling-interval 0): no blocking data. */
  blockingMeasured: boolean;
  dropped: number;
  warnings: string[];
  /** The trace's file name (no directory). */
  traceFile: string;
}

export interface ViewSummary {
  tasks: number;
  fulfilled: number;
  rejected: number;
  pending: number;
  peakConcurrency: number;
  meanConcurrency: number;
  lag: LagSummary;
  lagMaxMs: number;
  elu: number | null;
  blocking: number;
  blockingMs: number;
  /** Resource counts by type, most frequent first. */
  resources: [type: string, count: number][];
  /** Time the event loop spent in task code (union of run segments). */
  loopBusyMs: number;
}

/** One row of the per-handler table (the report JSON's `handlers` row: src/analysis/handler-stats.ts). */
export type ViewHandler = HandlerStats;

/** One row of the HTTP requests table (the report JSON's `requests` row: src/analysis/request-stats.ts). */
export type ViewRequestRoute = RequestRouteStats;

/** A live page's time before its horizon, one row per interval (server/fold-history.ts makes them). */
export interface ViewHistory {
  /** The horizon: tasks that ended before it are in the rows, not in the model (ms from time zero). */
  untilMs: number;
  intervalMs: number;
  /** Rows in time order: each interval's start (ms from time zero) and its figures. */
  rows: ViewHistoryRow[];
  /** Tasks left out of the model, in all. */
  foldedTasks: number;
}

export interface ViewHistoryRow {
  startMs: number;
  tasksStarted: number;
  tasksFinished: number;
  /** Share of the interval some task's code was running (0 to 1). */
  busyShare: number;
  lagMaxMs: number;
  blockingCount: number;
  blockingMs: number;
  /** HTTP requests read in it. */
  requests: number;
}

/** Source text of lines the viewer refers to (task lines, await lines), when the file was readable. */
export type SourceLine = [file: number, line: number, text: string];

/** Everything that is not a column: small, JSON-encoded. */
export interface ViewHeader {
  version: 1;
  meta: ViewMeta;
  summary: ViewSummary;
  strings: string[];
  blocking: ViewBlocking[];
  errors: RunError[];
  marks: Mark[];
  sources: SourceLine[];
  /** Phase figures, phases, critical path, hints, dependencies (analysis.ts); absent for huge traces. */
  analysis?: ViewAnalysis;
  /** Per-handler statistics, most total time first (at most MAX_VIEW_HANDLERS rows); absent in older view data. */
  handlers?: ViewHandler[];
  /** HTTP requests by route, most total time first (at most MAX_VIEW_ROUTES rows); absent in older view data. */
  requests?: ViewRequestRoute[];
  /** A live page's time before its horizon, as per-interval aggregates (server/fold-history.ts); absent otherwise. */
  history?: ViewHistory;
  /** Every thread, the main thread first, when the run recorded worker threads or child processes (threads.ts). */
  threads?: ViewThread[];
  /** Messages between the threads and processes (messages.ts): the arrows; at most MAX_VIEW_MESSAGES. */
  messages?: ViewMessage[];
}

/**
 * One message between two lane groups: from the sending task (a display index, -1: none, then
 * the group's header row) at its send, to the receiving task at its arrival. `toGroup` -1: it
 * never arrived.
 */
export interface ViewMessage {
  /** The start of a worker thread or child process (drawn dashed), not a message. */
  start?: true;
  fromGroup: number;
  fromTask: number;
  fromMs: number;
  toGroup: number;
  toTask: number;
  toMs: number;
}

/** One thread's lane group: its tasks are display indices [firstTask, endTask). */
export interface ViewThread {
  threadId: number;
  /** The process the thread belongs to, and whether that is a child process of the run (absent in older view data). */
  pid?: number;
  childProcess?: boolean;
  /** A child process's script and arguments (its main thread's group). */
  command?: string;
  /** How a child process ended: 'exit 0', 'killed by SIGTERM' (its main thread's group). */
  ended?: string;
  /** A child process that is not Node (not profiled): when it ran, [start, end] ms; it has no tasks. */
  span?: [number, number];
  /** How long the thread that started it waited for its answers (analysis/answer-waits.ts). */
  answers?: { askedBy: number; questions: number; answered: number; waitMs: number; longestMs: number };
  name: string;
  firstTask: number;
  endTask: number;
  elu: number | null;
  lag: LagSummary;
  /** When the thread ran task code: flat [start, end, start, end, ...], sorted, disjoint. */
  busy: number[];
  /** The thread's lag probe: flat [time, lag, time, lag, ...]. */
  lagSamples: number[];
  blocking: { startMs: number; durationMs: number; endMs: number; function: string; file: string; line: number }[];
}

export interface ViewColumns {
  // Tasks, n of them, in display order.
  taskId: Int32Array;
  /** Display index of the parent, -1 for a root. */
  taskParent: Int32Array;
  taskDepth: Uint16Array;
  /** Subtree size, the task included: its descendants are [i + 1, i + size). */
  taskSize: Int32Array;
  taskChildren: Int32Array;
  taskName: Int32Array;
  taskFile: Int32Array;
  taskLine: Int32Array;
  taskKind: Int32Array;
  taskStart: Float64Array;
  /** End, or the end of the run for a pending task. */
  taskEnd: Float64Array;
  taskOutcome: Uint8Array;
  taskRun: Float32Array;
  taskWait: Float32Array;
  /** Segments of task i: [taskSegOff[i], taskSegOff[i + 1]) (n + 1 entries). */
  taskSegOff: Int32Array;
  segStart: Float64Array;
  segEnd: Float64Array;
  segKind: Uint8Array;
  segLine: Int32Array;
  /** Resource groups (one per task and resource type) of task i: [taskGroupOff[i], taskGroupOff[i + 1]). */
  taskGroupOff: Int32Array;
  groupTask: Int32Array;
  groupType: Int32Array;
  /** Resources of group g: [groupResOff[g], groupResOff[g + 1]) (sorted by creation). */
  groupResOff: Int32Array;
  resId: Int32Array;
  resCreated: Float64Array;
  /** End, or NaN when it never ended. */
  resEnd: Float64Array;
  /** Callback times of resource r: [resCbOff[r], resCbOff[r + 1]). */
  resCbOff: Int32Array;
  cbTime: Float64Array;
  /** The event loop running task code: disjoint busy intervals, sorted. */
  loopStart: Float64Array;
  loopEnd: Float64Array;
  /** Busy time before interval i (prefix sums, m + 1 entries): busy time in any range in O(log m). */
  loopCum: Float64Array;
  /** The task that ran most of the interval (display index) and how many tasks ran in it. */
  loopOwner: Int32Array;
  loopTasks: Int32Array;
  lagTime: Float64Array;
  lagValue: Float32Array;
  /** Tasks in flight: a step function, from concTime[i] on concValue[i] tasks. */
  concTime: Float64Array;
  concValue: Int32Array;
}

export interface ViewModel {
  header: ViewHeader;
  columns: ViewColumns;
}

export type ColumnType = 'f64' | 'f32' | 'i32' | 'u16' | 'u8';

/** The columns and their element types: the binary layout's schema (order matters). */
export const COLUMN_TYPES: { [K in keyof ViewColumns]: ColumnType } = {
  taskId: 'i32',
  taskParent: 'i32',
  taskDepth: 'u16',
  taskSize: 'i32',
  taskChildren: 'i32',
  taskName: 'i32',
  taskFile: 'i32',
  taskLine: 'i32',
  taskKind: 'i32',
  taskStart: 'f64',
  taskEnd: 'f64',
  taskOutcome: 'u8',
  taskRun: 'f32',
  taskWait: 'f32',
  taskSegOff: 'i32',
  segStart: 'f64',
  segEnd: 'f64',
  segKind: 'u8',
  segLine: 'i32',
  taskGroupOff: 'i32',
  groupTask: 'i32',
  groupType: 'i32',
  groupResOff: 'i32',
  resId: 'i32',
  resCreated: 'f64',
  resEnd: 'f64',
  resCbOff: 'i32',
  cbTime: 'f64',
  loopStart: 'f64',
  loopEnd: 'f64',
  loopCum: 'f64',
  loopOwner: 'i32',
  loopTasks: 'i32',
  lagTime: 'f64',
  lagValue: 'f32',
  concTime: 'f64',
  concValue: 'i32',
};
