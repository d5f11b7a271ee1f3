// The one model of a profiled run: what the trace recorded, replayed into columns (typed arrays,
// one per field, no object per event). Every consumer (report, viewer, compare, ci) reads this;
// only build-model.ts knows the trace's binary layout. Times are ms from the script's start.
//
// Analyses (src/analysis/) take this model and their options and compute the rest (blocking
// stretches, lag percentiles, dependencies, critical paths, hints); the model never holds them.
//
// Tasks, segments and resources are addressed by their index in the columns (tasks and resources
// in the order the trace created them). `tasks`, `taskById` and `resources` are an object view
// for small consumers (tests, a command showing one task): built on first use, never by analyses.

export type OutcomeName = 'fulfilled' | 'rejected' | 'pending';

/** Outcome codes in TaskColumns.outcome (the trace's own: contract/trace-format.ts Outcome). */
export const OUTCOME_PENDING = 0;
export const OUTCOME_FULFILLED = 1;
export const OUTCOME_REJECTED = 2;
export const OUTCOME_OF_CODE: readonly OutcomeName[] = ['pending', 'fulfilled', 'rejected'];

/** Segment kinds in SegmentColumns.kind. */
export const SEGMENT_RUN = 0;
export const SEGMENT_WAIT = 1;

/** The async functions of the instrumented modules, by function id (0: unknown). */
export interface FunctionTable {
  name: string[];
  /** Relative to the directory the run started in. */
  file: string[];
  line: number[];
  kind: string[];
}

export interface TaskColumns {
  count: number;
  /** The trace's task id. */
  id: Int32Array;
  /** Index into the function table. */
  fn: Int32Array;
  /** Index of the parent task, -1 for none. */
  parent: Int32Array;
  start: Float64Array;
  /** NaN while pending. */
  end: Float64Array;
  /**
   * Order of the task's first and last events among all the trace's events (1-based). Times tie
   * within a clock tick (hundreds of awaits can share one); the order never does. endSeq -1: pending.
   */
  startSeq: Int32Array;
  endSeq: Int32Array;
  /** OUTCOME_* codes. */
  outcome: Uint8Array;
  runMs: Float64Array;
  waitMs: Float64Array;
  /** Segments of task i: [segOff[i], segOff[i + 1]) (count + 1 entries). */
  segOff: Int32Array;
  /** Children of task i (task indices, in the order they were created): children[childOff[i] .. childOff[i + 1]). */
  childOff: Int32Array;
  children: Int32Array;
  /** Resources task i created (resource indices, in order): resources[resOff[i] .. resOff[i + 1]). */
  resOff: Int32Array;
  resources: Int32Array;
  /** Task indices in the order their tasks ended (by endSeq). */
  endOrder: Int32Array;
  /**
   * Resource index of the HTTP request (httpServer) whose dispatch started this task outside any
   * task (the request's handler: started after the request was read, before the loop went on to
   * anything else), -1 for none.
   */
  request: Int32Array;
  /** Task index of a task id, or -1. */
  indexOfId(id: number): number;
}

export interface SegmentColumns {
  count: number;
  start: Float64Array;
  end: Float64Array;
  startSeq: Int32Array;
  endSeq: Int32Array;
  /** For a wait: the line of the await. For a run: where it started (function or await line). */
  line: Int32Array;
  /** SEGMENT_RUN or SEGMENT_WAIT. */
  kind: Uint8Array;
}

export interface ResourceColumns {
  count: number;
  id: Int32Array;
  /** Index into RESOURCE_TYPES (typeName gives the name). */
  type: Uint8Array;
  /** Task index of its creator, -1 for none. */
  task: Int32Array;
  created: Float64Array;
  /** NaN when it never ended. */
  end: Float64Array;
  /** Callback times of resource r: callbacks[cbOff[r] .. cbOff[r + 1]), in the order they happened. */
  cbOff: Int32Array;
  callbacks: Float64Array;
  /** An HTTP request's route (index into TraceModel.routeNames), 0: not named (other types, older traces). */
  route: Int32Array;
  typeName(r: number): string;
  /** Resource index of a resource id, or -1. */
  indexOfId(id: number): number;
}

/** The call-tree nodes of V8's sampling profile, from every chunk, in one table. */
export interface ProfileNodes {
  count: number;
  /** Index into `strings`. */
  functionName: Int32Array;
  url: Int32Array;
  /** 0-based line and column of the function. */
  line: Int32Array;
  column: Int32Array;
  /** Index of the parent node, -1 for a root. */
  parent: Int32Array;
  /** Line ticks [line, ticks, ...] (1-based lines), where V8 gave them. */
  ticks: (number[] | undefined)[];
  strings: string[];
}

export interface ProfileChunkRange {
  /** Samples of this chunk: [firstSample, endSample). */
  firstSample: number;
  endSample: number;
  startMs: number;
  endMs: number;
}

export interface SampleColumns {
  count: number;
  /** When each sample was taken (ms from the script's start) and the node it fell in. */
  time: Float64Array;
  node: Int32Array;
  /** The same times on V8's own clock (µs, as the profile accumulates them) and each sample's delta. */
  v8Us: Float64Array;
  deltaUs: Float64Array;
  /** The script's start on V8's clock, in ms. */
  v8ZeroMs: number;
  nodes: ProfileNodes;
  /** One entry per profile chunk (the profiler is stopped and restarted between chunks). */
  chunks: ProfileChunkRange[];
}

export interface LagSeries {
  /** Times of the drift probe's runs (ms) and how late each one was (ms, by the wall clock). */
  times: Float64Array;
  values: Float64Array;
}

/**
 * The main thread's scheduler statistics (Linux /proc/self/task/<tid>/schedstat), sampled by the
 * recorder about every millisecond: cumulative ns it ran on a CPU and waited runnable for one.
 * Empty when the recorder did not write them (other systems, older traces).
 */
export interface SchedSeries {
  times: Float64Array;
  runNs: Float64Array;
  waitNs: Float64Array;
}

/**
 * Messages this thread sent to or received from another thread or process (postMessage, IPC),
 * in event order (model/message-log.ts). The other end of each is found by model/message-links.ts.
 */
export interface MessageColumns {
  count: number;
  /** MessageChannelKind of its channel (contract/trace-format.ts). */
  kind: Uint8Array;
  /** The channel's other side: the worker thread's threadId (kinds 1, 2) or the child process's pid (3, 4). */
  peer: Int32Array;
  /** 1: sent from here; 0: received here. */
  sent: Uint8Array;
  /** Its number on its channel and way, counting from 1. */
  seq: Int32Array;
  at: Float64Array;
  /** Its event's order in this thread's trace. */
  order: Int32Array;
  /** The task that sent it, or that received it; -1: none (top-level code, a listener that started no task). */
  task: Int32Array;
}

export interface Frame {
  function: string;
  file: string;
  line: number;
}

export interface RunError {
  origin: string;
  atMs: number | null;
  name: string;
  message: string;
  stack: string | null;
}

export interface Mark {
  name: string;
  kind: 'mark' | 'measure';
  startMs: number;
  durationMs: number;
}

/** The object view of one task (TraceModel.tasks): what the report JSON lists per task. */
export interface Task {
  id: number;
  parentId: number | null;
  name: string;
  /** Relative to the directory the run started in. */
  file: string;
  line: number;
  kind: string;
  startMs: number;
  endMs: number | null;
  startSeq: number;
  endSeq: number | null;
  outcome: OutcomeName;
  runMs: number;
  waitMs: number;
  segments: Segment[];
  /** Ids of its children and of the resources it created. */
  children: number[];
  resources: number[];
}

export interface Segment {
  kind: 'run' | 'wait';
  startMs: number;
  endMs: number;
  line: number;
  startSeq: number;
  endSeq: number;
}

export interface Resource {
  id: number;
  type: string;
  taskId: number | null;
  createdMs: number;
  callbacksMs: number[];
  endMs: number | null;
}

export interface TraceModel {
  tracePath: string;
  script: string;
  args: string[];
  cwd: string;
  node: string;
  platform: string;
  startEpochMs: number;
  /** The threshold the run was recorded with: the default of the blocking analysis for this trace. */
  recordedBlockingThresholdMs: number;
  /** Interval of V8's sampling profiler; 0: it was off, blocking stretches were not measured. */
  samplingIntervalUs: number;
  /** The drift probe's interval. */
  lagIntervalMs: number;
  /** Frames from files under this directory are the profiler's own ('' : none). */
  profilerDir: string;
  exitCode: number | null;
  signal: string | null;
  /** False when the process ended without closing its trace (SIGKILL). */
  complete: boolean;
  wallMs: number;
  /** Events in the trace (the last one's order). */
  eventCount: number;
  functions: FunctionTable;
  /** Names of HTTP request routes by route id ('METHOD /path'); [0] is '' (not named). */
  routeNames: string[];
  columns: {
    tasks: TaskColumns;
    segments: SegmentColumns;
    resources: ResourceColumns;
    samples: SampleColumns;
    messages: MessageColumns;
  };
  lag: LagSeries;
  sched: SchedSeries;
  /** Event-loop utilization the process measured itself (performance.eventLoopUtilization), if any. */
  recordedElu: number | null;
  /**
   * Every distinct time at which the trace shows something happening (segment boundaries, timer
   * and I/O creations and callbacks, lag samples), sorted: what the analyses ask "did anything
   * happen between a and b?".
   */
  eventTimes: Float64Array;
  /**
   * When some task's code was running: the union of the run segments of positive length, sorted
   * [start0, end0, start1, end1, ...], touching intervals merged.
   */
  runningIntervals: Float64Array;
  /** Absolute file -> function start line -> end line, of every function of the instrumented modules. */
  functionRanges: Map<string, Map<number, number>>;
  errors: RunError[];
  marks: Mark[];
  dropped: number;
  /** What the trace itself says is wrong with it (cut short, unknown records). */
  warnings: string[];
  /** 0: the process's main thread; otherwise the worker thread's threadId. */
  threadId: number;
  /** The process that recorded this trace. */
  pid: number;
  /** A child process that is not Node: only its span (ownZeroMs to wallMs) and exit are known. */
  notNode: boolean;
  /** This process's or thread's own time zero (its Start) on the run's time axis: 0 for the run's main thread. */
  ownZeroMs: number;
  /**
   * The main thread's model only: one model per worker thread, by thread id, on the main
   * thread's time axis (ms from its time zero). Each is analysed on its own (analysisOf).
   */
  threads: TraceModel[];
  /** The Node child processes the run started (each with its own threads), on the same time axis. */
  processes: TraceModel[];

  /** Object view (see the header): built on first use. */
  readonly tasks: readonly Task[];
  readonly taskById: readonly (Task | undefined)[];
  readonly resources: readonly Resource[];
}
