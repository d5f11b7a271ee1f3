// What every hint detector gets and gives. A detector is one file (see registry.ts); it finds
// one anti-pattern and says it at its line, with a one-sentence fix. It must stay silent on
// correct code: what it cannot tell apart from a deliberate choice, it does not report.
import type { TraceModel } from '../../model/types.js';
import type { CriticalPaths, PathContext } from '../critical-path.js';
import type { Dependencies } from '../dependencies.js';
import type { Blocking } from '../results.js';
import type { WaitIndex } from '../waits.js';
import type { Work } from '../work.js';

export interface Hint {
  /** The detector's place in the registry, from 1. */
  kind: number;
  name: string;
  file: string;
  line: number;
  /** What was found, then the fix in one sentence. */
  message: string;
  /** Estimated wall time the fix saves (await-in-loop, timer-left-running). */
  savingMs?: number;
  /** The tasks concerned (ids, for the viewer to highlight). */
  taskIds: number[];
  /**
   * The task whose code the hint is about, when there is one: the looping task, the task
   * running during the stretches when it is always the same, the caller that dropped the
   * promise, the parent that fanned out, the timer's creator. Absent for the script's top-level code.
   */
  taskId?: number;
}

/** What a detector returns: a hint without its kind and name (the registry adds them). */
export type Finding = Omit<Hint, 'kind' | 'name'>;

/** The text of a source file (a path as the model has it, relative to model.cwd), if it can be read. */
export type SourceOf = (file: string) => string | undefined;

export interface HintOptions {
  /** unbounded-fanout: sibling tasks in flight at once above this are a fan-out (default 100). */
  fanoutThreshold: number;
  /** The blocking threshold the stretches were found with (hint messages say it). */
  blockingThresholdMs: number;
  /**
   * Reads the script's sources, to put at their line what the trace has no line for: the
   * top-level code's awaits and the call that dropped a promise. Optional.
   */
  source?: SourceOf;
}

export interface HintContext {
  model: TraceModel;
  options: HintOptions;
  blocking: readonly Blocking[];
  waits: WaitIndex;
  dependencies: Dependencies;
  /** Per task: 1 when some task awaited it (an edge of the dependencies). */
  awaited: Uint8Array;
  paths: CriticalPaths;
  pathContext: PathContext;
  /** Tasks reported as floating promises (pending-at-exit leaves them out). */
  floating: Set<number>;
  /** One id per distinct (name, file, line) of the function table: functions that read the same. */
  functionKey: Int32Array;
  /** The most tasks in flight at once in the run (Infinity when that pass was cut short): no group of them had more. */
  maxConcurrentTasks: number;
  work: Work;
}

export interface HintDetector {
  /** The hint's name in the report (kebab-case). */
  name: string;
  find(context: HintContext): Finding[];
}
