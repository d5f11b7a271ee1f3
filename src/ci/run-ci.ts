// `async-prof ci` from plan to result: run every script n times, check the budgets, compare with
// the baseline (or record it), and hand the result to the reporters.
import { relative } from 'node:path';
import { UsageError } from '../errors.js';
import { fsReason } from '../files/fs-reason.js';
import { environmentWarnings, machineFacts, readBaseline, writeBaseline, type BaselineFile, type BaselineScript } from './baseline.js';
import { evaluateScript, overall, scriptStatus } from './evaluate.js';
import type { CiPlan } from './plan.js';
import type { CiResult, ScriptResult } from './result.js';
import { Runner, type RunnerOptions } from './runner.js';
import { displayPath } from './scripts.js';

export interface RunCiOptions extends RunnerOptions {
  /** Called with a warning as soon as it is known (e.g. on stderr). */
  onWarning?: (message: string) => void;
}

export async function runCi(plan: CiPlan, options: RunCiOptions = {}): Promise<CiResult> {
  const startedAt = new Date();
  const started = performance.now();
  const warnings: string[] = [];
  const warn = (message: string) => {
    warnings.push(message);
    options.onWarning?.(message);
  };
  const baselineDisplay = plan.baselinePath ? displayPath(plan.cwd, plan.baselinePath) : null;
  let baseline: BaselineFile | null = null;
  if (plan.baselinePath) {
    baseline = readBaseline(plan.baselinePath, baselineDisplay!);
    if (baseline && !plan.updateBaseline) for (const w of environmentWarnings(baseline, baselineDisplay!)) warn(w);
    if (!baseline && !plan.updateBaseline) warn(`no baseline at ${baselineDisplay}: nothing to compare with; record one with --update-baseline`);
  }

  const runner = new Runner(plan);
  let runs;
  try {
    runs = await runner.runAll(options);
  } finally {
    runner.cleanup();
  }
  if (plan.keepTraces) warn(`traces kept in ${relative(plan.cwd, runner.dir).startsWith('..') ? runner.dir : relative(plan.cwd, runner.dir)}`);

  const settings = {
    aggregate: plan.aggregate,
    tolerancePct: plan.tolerancePct,
    minChangeMs: plan.minChangeMs,
    alpha: plan.alpha,
    blockingThresholdMs: plan.blockingThresholdMs,
  };
  const scripts: ScriptResult[] = [];
  const recorded = new Map<string, BaselineScript>();
  for (const run of runs) {
    const entry = plan.updateBaseline ? null : (baseline?.scripts[run.script.path] ?? null);
    const verdict = evaluateScript(run, run.script.budgets, entry, settings);
    let baselineState: ScriptResult['baseline'] = 'none';
    if (plan.baselinePath) {
      if (plan.updateBaseline) baselineState = run.crash ? 'none' : 'recorded';
      else baselineState = entry ? 'compared' : baseline ? 'missing' : 'none';
    }
    if (plan.updateBaseline && !run.crash) {
      recorded.set(run.script.path, {
        recordedAt: new Date().toISOString(),
        blockingThresholdMs: plan.blockingThresholdMs,
        detectThresholdMs: run.script.detectThresholdMs,
        runs: run.runs.map((r) => r.values),
      });
    }
    scripts.push({
      script: run.script.path,
      status: scriptStatus(verdict.checks, run.crash),
      baseline: baselineState,
      runs: run.runs.map((r) => ({ ...r.values, blocking: r.blocking })),
      checks: verdict.checks,
      notes: verdict.notes,
      error: run.crash
        ? {
            run: run.crash.run,
            exitCode: run.crash.exitCode,
            signal: run.crash.signal,
            timedOut: run.crash.timedOut,
            message: run.crash.message,
            output: run.crash.outputTail,
          }
        : null,
    });
  }
  if (plan.updateBaseline && plan.baselinePath && recorded.size > 0) {
    try {
      writeBaseline(plan.baselinePath, baseline, recorded);
    } catch (error) {
      // Checked writable before the runs; the disk may have filled up since.
      if (error instanceof UsageError) throw error;
      throw new UsageError(`cannot write the baseline to ${baselineDisplay}: ${fsReason(error)}`);
    }
  }
  if (plan.updateBaseline && runs.some((r) => r.crash)) warn('scripts that crashed were not written to the baseline');

  const { status, exitCode } = overall(
    scripts.map((s) => s.status),
    plan.inconclusive,
  );
  return {
    version: 1,
    status,
    exitCode,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - started),
    settings: {
      runs: plan.runs,
      aggregate: plan.aggregate,
      tolerancePct: plan.tolerancePct,
      minChangeMs: plan.minChangeMs,
      alpha: plan.alpha,
      blockingThresholdMs: plan.blockingThresholdMs,
      inconclusive: plan.inconclusive,
      baseline: baselineDisplay,
      updateBaseline: plan.updateBaseline,
      config: plan.configFile ? displayPath(plan.cwd, plan.configFile) : null,
    },
    environment: { node: process.version, ...machineFacts() },
    warnings,
    scripts,
  };
}
