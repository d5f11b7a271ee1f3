// Runs each script of the plan n times under the profiler, one run at a time (runs in parallel
// would measure each other). The script's output goes to a file in a temporary directory, kept
// out of the report but at hand when the script crashes.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toReportJson } from '../report/report-json.js';
import { profileScript } from '../run/profile-script.js';
import { loadModel } from '../trace/load-model.js';
import { blockingSites, runValues, type BlockingSite, type RunValues } from './metrics.js';
import type { CiPlan, ScriptPlan } from './plan.js';

export interface RunRecord {
  values: RunValues;
  blocking: BlockingSite[];
  tracePath: string;
}

export interface ScriptCrash {
  /** 1-based run number. */
  run: number;
  exitCode: number;
  signal: string | null;
  timedOut: boolean;
  /** One line: the uncaught error, or how the process ended. */
  message: string;
  /** The last lines the script wrote to stdout/stderr. */
  outputTail: string[];
}

export interface ScriptRuns {
  script: ScriptPlan;
  runs: RunRecord[];
  crash: ScriptCrash | null;
}

export interface RunnerOptions {
  onProgress?: (script: ScriptPlan, run: number, of: number) => void;
}

function tail(file: string, lines: number): string[] {
  try {
    const text = readFileSync(file, 'utf8');
    return text
      .split('\n')
      .map((l) => l.trimEnd())
      .filter((l) => l.length > 0)
      .slice(-lines);
  } catch {
    return [];
  }
}

export class Runner {
  readonly dir: string;

  constructor(private readonly plan: CiPlan) {
    this.dir = mkdtempSync(join(tmpdir(), 'async-prof-ci-'));
  }

  async runAll(options: RunnerOptions = {}): Promise<ScriptRuns[]> {
    const results: ScriptRuns[] = [];
    for (const [index, script] of this.plan.scripts.entries()) results.push(await this.runScript(script, index, options));
    return results;
  }

  private async runScript(script: ScriptPlan, index: number, options: RunnerOptions): Promise<ScriptRuns> {
    const runs: RunRecord[] = [];
    for (let i = 1; i <= this.plan.runs; i++) {
      options.onProgress?.(script, i, this.plan.runs);
      const stem = join(this.dir, `${index + 1}-run${i}`);
      const outputFile = `${stem}.out`;
      const fd = openSync(outputFile, 'w');
      let run;
      try {
        run = await profileScript({
          script: script.abs,
          args: script.args,
          out: `${stem}.trace`,
          cwd: this.plan.cwd,
          blockingThresholdMs: script.detectThresholdMs,
          timeoutS: this.plan.timeoutS,
          stdio: ['ignore', fd, fd],
          env: script.env,
        });
      } finally {
        closeSync(fd);
      }
      const model = loadModel(run.tracePath);
      if (run.exitCode !== 0 || run.signal !== null || run.timedOut) {
        const error = model.errors[0];
        const how = run.timedOut
          ? `did not finish within ${this.plan.timeoutS} s (--timeout)`
          : run.signal
            ? `was killed by ${run.signal}`
            : `exited with code ${run.exitCode}`;
        return {
          script,
          runs,
          crash: {
            run: i,
            exitCode: run.exitCode,
            signal: run.signal,
            timedOut: run.timedOut,
            message: error ? `${how}: ${error.name}: ${error.message}` : how,
            outputTail: tail(outputFile, 8),
          },
        };
      }
      const report = toReportJson(model);
      runs.push({ values: runValues(report, this.plan.blockingThresholdMs), blocking: blockingSites(report), tracePath: run.tracePath });
    }
    return { script, runs, crash: null };
  }

  cleanup(): void {
    if (!this.plan.keepTraces) rmSync(this.dir, { recursive: true, force: true });
  }
}
