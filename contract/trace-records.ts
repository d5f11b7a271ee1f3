// The payloads of the trace's JSON records (and of the profile chunks), as written by instrument/
// and by the CLI, and as readers get them back. docs/trace-format.md describes each.

/** Record Meta: how the run was set up. */
export interface TraceMeta {
  version: number;
  script: string;
  args: string[];
  cwd: string;
  pid: number;
  node: string;
  platform: string;
  arch: string;
  startEpochMs: number;
  originMs: number;
  hrOriginMs: number;
  blockingThresholdMs: number;
  samplingIntervalUs: number;
  lagIntervalMs: number;
  clockTickUs: number;
  profilerDir: string;
  /** Additions within the version (TRACE_REVISION); absent: 0. */
  revision?: number;
  /** The worker thread that wrote this Meta (worker_threads' threadId); absent: the main thread. */
  threadId?: number;
  /**
   * A child process that is not Node (a Process record's Meta, written by its parent when the
   * child exited: pid, program and arguments, then Start and End, no events): its span and exit only.
   */
  notNode?: true;
}

/** Record Module: one instrumented module's function table. */
export interface ModuleRecord {
  file: string;
  firstId: number;
  /** Flat: name, line, kind (index into FUNCTION_KINDS) per async function, in source order. */
  functions: (string | number)[];
  /** Flat: startLine, endLine of every function of the module. */
  ranges: number[];
  /**
   * Code compiled by tsx (or another loader with a source map): the original line of each line
   * of the code V8 ran (index + 1), for profile frames, which name the latter.
   */
  lines?: number[];
}

/** Record Sched: how long the main thread ran and waited runnable for a CPU, cumulative ns. */
export interface SchedRecord {
  tid: number;
  /** ms on the profiled process's performance.now() clock. */
  times: number[];
  runNs: number[];
  waitNs: number[];
}

/** Record Error: an uncaught exception, an unhandled rejection, or the profiler's own trouble. */
export interface ErrorRecord {
  origin: string;
  atMs?: number;
  name?: string;
  message: string;
  stack?: string | null;
}

/** Record End (by the process) and Epilogue (by the CLI): how the process ended. */
export interface EndRecord {
  exitCode: number | null;
  signal: string | null;
  endMs?: number;
  elu?: number;
  dropped?: number;
  tasks?: number;
  /** Epilogue only: the CLI stopped the script after --timeout. */
  timedOut?: boolean;
}

/** Record Window (by the CLI): the trace holds only the most recent stretch of the run (`run --keep`). */
export interface WindowRecord {
  /** The window kept (`--keep`), ms: the trace holds at least the last this many ms (up to 1.5 times). */
  keepMs: number;
  /** Taken while the process was running (`async-prof snapshot`, SIGUSR2 to the CLI). */
  snapshot: boolean;
  /** When the file was written (ms since the epoch). */
  writtenEpochMs: number;
}

/** Record Marks: performance.mark / measure entries. */
export interface MarkRecord {
  entries: { name: string; entryType: 'mark' | 'measure'; startTime: number; duration: number; detail?: unknown }[];
}

/** Record Routes: names of HTTP request routes; route id firstId + i is names[i]. */
export interface RoutesRecord {
  firstId: number;
  names: string[];
}

/** Record Start: the first user module began evaluating (time zero of the run). */
export interface StartRecord {
  atMs: number;
}

/** A node of a profile chunk, compacted from V8's. */
export interface ProfileNode {
  id: number;
  /** function name, url, 0-based line and column of the function. */
  f: string;
  u: string;
  l: number;
  c: number;
  /** parent node id (0 for the root) */
  p: number;
  /** line ticks: [line, ticks, line, ticks...] (1-based lines) */
  t?: number[];
}

/** Record Profile: one chunk of V8's sampling profile. */
export interface ProfileChunk {
  /** microseconds, V8's monotonic clock (same as process.hrtime) */
  startTime: number;
  endTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}
