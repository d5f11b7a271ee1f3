// What the analyses find, as plain data: the report, the view model and CI read these.
import type { Frame } from '../model/types.js';

export interface Blocking {
  startMs: number;
  /** The program's time holding the loop: the profiler's own work inside the stretch left out. */
  durationMs: number;
  /** Where the loop was given back (wall clock): startMs + durationMs + the profiler's own work inside. */
  endMs: number;
  /** Id of the task on the CPU (for an await chain: the one that resumed most often in it). */
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
   * Of durationMs, the time the thread was ready to run but another process had the CPU (Linux
   * scheduler samples; 0 without them). durationMs less this is the program's own: what `ci`
   * budgets.
   */
  cpuWaitMs: number;
  /**
   * Awaits that resumed inside the stretch. Many of them with no long run among them: the loop
   * was held by a chain of awaits that never waited (await-chain.ts), not by one long call.
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

export interface LagSummary {
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

/**
 * Calls of one function, or requests of one route: how many, how many had not finished when the
 * run (or the snapshot) ended, and the finished ones' durations (ms; 0s when none finished), by
 * the lag's percentile rule (summarizeLag).
 */
export interface DurationFigures extends LagSummary {
  count: number;
  pending: number;
}
