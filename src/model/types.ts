// The one model of a profiled run. Every consumer (report, viewer, compare, ci) reads this;
// only build-model.ts knows the trace's binary layout. Times are ms from the script's start.

export type OutcomeName = 'fulfilled' | 'rejected' | 'pending';

export interface Segment {
  kind: 'run' | 'wait';
  startMs: number;
  endMs: number;
  /** For a wait: the line of the await. For a run: where it started (function or await line). */
  line: number;
  /**
   * Order of the events that opened and closed the segment among all the trace's events. Times
   * tie within a clock tick (hundreds of awaits can share one); the order never does.
   */
  startSeq?: number;
  endSeq?: number;
}

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
  /** Order of the task's first and last events among all the trace's events (see Segment). */
  startSeq?: number;
  endSeq?: number | null;
  outcome: OutcomeName;
  runMs: number;
  waitMs: number;
  segments: Segment[];
  children: number[];
  resources: number[];
}

export interface Resource {
  id: number;
  type: string;
  taskId: number | null;
  createdMs: number;
  callbacksMs: number[];
  endMs: number | null;
}

export interface Frame {
  function: string;
  file: string;
  line: number;
}

export interface Blocking {
  startMs: number;
  durationMs: number;
  taskId: number | null;
  /** The hottest frame of user code during the stretch. */
  function: string;
  file: string;
  line: number;
  /** From that frame up to the root (callers), user frames and others. */
  stack: Frame[];
  /** Where the time went when that was outside user code (node_modules, Node, V8). */
  inside: Frame | null;
  /**
   * Most of the stretch went into Node setting itself up, once per process: compiling one of its
   * built-in modules (e.g. undici on the first fetch()) or lazily compiling bundled WebAssembly.
   */
  nodeSetup: boolean;
  samples: number;
  /** Of durationMs, the time the script was on the CPU (the rest, the process was not running). */
  cpuMs: number;
  /**
   * Awaits that resumed inside the stretch. Many of them with no long run among them: the loop
   * was held by a chain of awaits that never waited (isAwaitChain in analysis/blocking.ts), not
   * by one long call.
   */
  awaitsResumed: number;
  /** The longest time one task ran without a break inside the stretch. */
  longestRunMs: number;
  /** Callbacks of timers and I/O that ran inside the stretch (what resumed the awaits, if many). */
  resourceCallbacks: number;
}

/**
 * A stretch with no idle sample, over the threshold, in which the process was mostly not running
 * (a loaded machine, a stop signal): not the script's doing, so not blocking.
 */
export interface OffCpu {
  startMs: number;
  durationMs: number;
  cpuMs: number;
  samples: number;
}

export interface LagSeries {
  /** Sample times (ms) and lag at each (ms). */
  times: number[];
  values: number[];
}

export interface LagSummary {
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
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

export interface TraceModel {
  tracePath: string;
  script: string;
  args: string[];
  cwd: string;
  node: string;
  platform: string;
  startEpochMs: number;
  blockingThresholdMs: number;
  /** Interval of V8's sampling profiler; 0: it was off, blocking stretches were not measured. */
  samplingIntervalUs: number;
  exitCode: number | null;
  signal: string | null;
  /** False when the process ended without closing its trace (SIGKILL). */
  complete: boolean;
  wallMs: number;
  tasks: Task[];
  /** Tasks by id (ids are dense from 1; index 0 is unused). */
  taskById: (Task | undefined)[];
  resources: Resource[];
  lag: LagSeries;
  lagSummary: LagSummary;
  elu: number | null;
  blocking: Blocking[];
  offCpu: OffCpu[];
  errors: RunError[];
  marks: Mark[];
  dropped: number;
  warnings: string[];
}
