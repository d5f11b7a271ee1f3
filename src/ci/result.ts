// The result of `async-prof ci`: what every reporter renders. Its JSON form is the `json`
// reporter's output, a public contract documented in docs/ci.md ("JSON output"): fields may
// be added, none may change meaning.
import type { MachineFacts } from './baseline.js';
import type { Check, OverallStatus, ScriptStatus } from './evaluate.js';
import type { Aggregate } from './stats.js';
import type { InconclusiveMode } from './config.js';
import type { BlockingSite, RunValues } from './metrics.js';

export interface RunResult extends RunValues {
  blocking: BlockingSite[];
}

export interface ScriptError {
  run: number;
  exitCode: number;
  signal: string | null;
  timedOut: boolean;
  message: string;
  output: string[];
}

export interface ScriptResult {
  script: string;
  status: ScriptStatus;
  /** compared: checked against the baseline; missing: the baseline has no entry; recorded: written to it; none: no baseline. */
  baseline: 'compared' | 'missing' | 'recorded' | 'none';
  runs: RunResult[];
  checks: Check[];
  notes: string[];
  error: ScriptError | null;
}

export interface CiResult {
  version: 1;
  status: OverallStatus;
  exitCode: number;
  startedAt: string;
  durationMs: number;
  settings: {
    runs: number;
    aggregate: Aggregate;
    tolerancePct: number;
    minChangeMs: number;
    alpha: number;
    blockingThresholdMs: number;
    inconclusive: InconclusiveMode;
    baseline: string | null;
    updateBaseline: boolean;
    config: string | null;
  };
  environment: MachineFacts & { node: string };
  warnings: string[];
  scripts: ScriptResult[];
}
