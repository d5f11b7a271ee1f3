// Turns the runs into verdicts: each budget on the aggregate of the runs, and each metric
// against the baseline. Pure: no I/O, so every rule here is tested without running anything.
import type { BaselineScript } from './baseline.js';
import type { Budgets, InconclusiveMode, Level } from './config.js';
import { fixHint } from './hints.js';
import { BUDGETS, METRIC_INFO, METRIC_OF_BUDGET, formatValue, type BlockingSite, type BudgetName, type MetricName } from './metrics.js';
import type { ScriptCrash, ScriptRuns } from './runner.js';
import { aggregate, mannWhitneyGreater, type Aggregate } from './stats.js';

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'inconclusive';
export type ScriptStatus = 'pass' | 'warn' | 'inconclusive' | 'fail' | 'error';

export interface Location {
  function: string;
  file: string;
  line: number;
  /** Longest stretch at this place, over all runs. */
  durationMs: number;
  /** In how many runs it blocked there. */
  runs: number;
  inside: string | null;
  hint: string;
}

export interface BudgetCheck {
  kind: 'budget';
  id: BudgetName;
  metric: MetricName;
  level: Level;
  status: CheckStatus;
  budget: number;
  value: number;
  values: number[];
  message: string;
  location: Location | null;
}

export interface RegressionCheck {
  kind: 'regression';
  id: `regression.${MetricName}`;
  metric: MetricName;
  status: Exclude<CheckStatus, 'warn'>;
  baseline: number;
  baselineValues: number[];
  value: number;
  values: number[];
  change: number;
  changePct: number | null;
  /** One-sided Mann-Whitney p-value (null for counts, which are compared exactly). */
  pValue: number | null;
  message: string;
  location: Location | null;
}

export type Check = BudgetCheck | RegressionCheck;

export interface EvaluateSettings {
  aggregate: Aggregate;
  tolerancePct: number;
  minChangeMs: number;
  alpha: number;
  blockingThresholdMs: number;
}

export interface ScriptVerdict {
  status: ScriptStatus;
  checks: Check[];
  notes: string[];
}

const pct = (v: number) => `${v >= 0 ? '+' : ''}${Math.round(v)}%`;

/** Groups blocking sites of all runs by place; the place seen in most runs (then longest) wins. */
export function mainLocation(runs: BlockingSite[][], keep: (site: BlockingSite) => boolean): Location | null {
  const groups = new Map<string, { site: BlockingSite; longest: number; runs: Set<number> }>();
  runs.forEach((sites, run) => {
    for (const site of sites) {
      if (!keep(site)) continue;
      const key = `${site.function}\0${site.file}\0${site.line}`;
      const group = groups.get(key) ?? { site, longest: 0, runs: new Set<number>() };
      if (site.durationMs > group.longest) {
        group.longest = site.durationMs;
        group.site = site;
      }
      group.runs.add(run);
      groups.set(key, group);
    }
  });
  let best: { site: BlockingSite; longest: number; runs: Set<number> } | null = null;
  for (const group of groups.values()) {
    if (!best || group.runs.size > best.runs.size || (group.runs.size === best.runs.size && group.longest > best.longest)) best = group;
  }
  if (!best) return null;
  return {
    function: best.site.function,
    file: best.site.file,
    line: best.site.line,
    durationMs: best.longest,
    runs: best.runs.size,
    inside: best.site.inside,
    hint: fixHint(best.site),
  };
}

export function describeLocation(loc: Location, total: number): string {
  return `${loc.function} at ${loc.file}:${loc.line} blocked the event loop for ${formatValue('blockingMaxMs', loc.durationMs)} (in ${loc.runs}/${total} runs)`;
}

function budgetCheck(name: BudgetName, spec: { max: number; level: Level }, result: ScriptRuns, settings: EvaluateSettings): BudgetCheck {
  const metric = METRIC_OF_BUDGET[name];
  const info = METRIC_INFO[metric];
  const values = result.runs.map((r) => r.values[metric] ?? 0);
  const value = aggregate(values, settings.aggregate);
  const over = value > spec.max;
  const status: CheckStatus = !over ? 'pass' : spec.level === 'warn' ? 'warn' : 'fail';
  const sites = result.runs.map((r) => r.blocking);
  let location: Location | null = null;
  if (name === 'maxBlocking') location = mainLocation(sites, (s) => s.durationMs > spec.max);
  else if (name === 'maxBlockingCount') location = mainLocation(sites, (s) => s.durationMs >= settings.blockingThresholdMs);
  else if (over) location = mainLocation(sites, () => true);
  if (!over) location = null;
  const found = `${info.label} ${formatValue(metric, value)}`;
  let message = over
    ? `${found} is over the budget of ${formatValue(metric, spec.max)}`
    : `${found} is within the budget of ${formatValue(metric, spec.max)}`;
  if (over && location) message += `: ${describeLocation(location, result.runs.length)}`;
  return { kind: 'budget', id: name, metric, level: spec.level, status, budget: spec.max, value, values, message, location };
}

/** Stretches shorter than either side's profiler threshold were invisible to one of them. */
function comparableBlocking(values: number[], floorMs: number): number[] {
  return values.map((v) => (v < floorMs ? 0 : v));
}

function regressionCheck(
  metric: MetricName,
  result: ScriptRuns,
  baseline: BaselineScript,
  settings: EvaluateSettings,
): RegressionCheck {
  const info = METRIC_INFO[metric];
  let values = result.runs.map((r) => r.values[metric] ?? 0);
  let baselineValues = baseline.runs.map((r) => r[metric] ?? 0);
  if (metric === 'blockingMaxMs') {
    const floor = Math.max(result.script.detectThresholdMs, baseline.detectThresholdMs ?? baseline.blockingThresholdMs);
    values = comparableBlocking(values, floor);
    baselineValues = comparableBlocking(baselineValues, floor);
  }
  const value = aggregate(values, settings.aggregate);
  const base = aggregate(baselineValues, settings.aggregate);
  const change = Math.round((value - base) * 100) / 100;
  const changePct = base > 0 ? (change / base) * 100 : null;
  const delta = `${formatValue(metric, base)} → ${formatValue(metric, value)}${changePct !== null ? ` (${pct(changePct)})` : ''}`;
  const make = (status: RegressionCheck['status'], pValue: number | null, message: string): RegressionCheck => ({
    kind: 'regression',
    id: `regression.${metric}`,
    metric,
    status,
    baseline: base,
    baselineValues,
    value,
    values,
    change,
    changePct: changePct === null ? null : Math.round(changePct * 10) / 10,
    pValue,
    message,
    location:
      status !== 'pass' && (metric === 'blockingMaxMs' || metric === 'blockingCount' || metric.startsWith('lag'))
        ? mainLocation(
            result.runs.map((r) => r.blocking),
            () => true,
          )
        : null,
  });

  if (info.count) {
    if (value > base) return make('fail', null, `${info.label} went up from ${formatValue(metric, base)} to ${formatValue(metric, value)} (counts are compared exactly)`);
    return make('pass', null, `${info.label} ${delta}: no more than the baseline`);
  }
  // Noise guard: a change must exceed the run-to-run spread of either set, besides the
  // tolerance and the floor; a machine that got busier widens the spread, not the verdict.
  const spread = Math.max(range(values), range(baselineValues));
  const allowed = Math.max((base * settings.tolerancePct) / 100, settings.minChangeMs, spread);
  if (change <= allowed) {
    const word = change < -Math.max((base * settings.tolerancePct) / 100, settings.minChangeMs) ? 'better than' : 'within tolerance of';
    return make('pass', null, `${info.label} ${delta}: ${word} the baseline`);
  }
  const test = mannWhitneyGreater(values, baselineValues);
  const p = Math.round(test.p * 10000) / 10000;
  const alpha = settings.alpha / TIMED_METRICS.length;
  const alphaText = `${Math.round(alpha * 10000) / 10000}`;
  const limits = `more than ${settings.tolerancePct}%, ${formatValue(metric, settings.minChangeMs)} and the run-to-run spread`;
  if (test.method !== 'none' && test.p <= alpha) {
    return make('fail', p, `${info.label} regressed: ${delta}, worse by ${limits}, consistently across runs (Mann-Whitney p=${p} ≤ ${alphaText})`);
  }
  const smallest = smallestP(values.length, baselineValues.length);
  if (smallest > alpha) {
    return make(
      'inconclusive',
      p,
      `${info.label} ${delta} is worse by ${limits}, but ${values.length} runs against ${baselineValues.length} cannot show it is consistent (smallest possible p=${Math.round(smallest * 10000) / 10000} > ${alphaText}): use more --runs`,
    );
  }
  return make('pass', p, `${info.label} ${delta}: worse on the ${settings.aggregate === 'median' ? 'median' : 'worst run'} but not consistently across runs (Mann-Whitney p=${p} > ${alphaText})`);
}

/** max - min, without spreading the values into arguments (a baseline may hold 200,000 runs). */
function range(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let min = values[0]!;
  let max = values[0]!;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return max - min;
}

/** The smallest one-sided p-value n runs against m can give: one arrangement of C(n+m, n). */
export function smallestP(n: number, m: number): number {
  if (n === 0 || m === 0) return 1;
  let c = 1;
  for (let i = 1; i <= n; i++) c = (c * (m + i)) / i;
  return 1 / c;
}

/**
 * Metrics compared with the baseline. lagMaxMs is one sample per run, too noisy to compare: it is a
 * budget only. The rank tests of the timed ones share alpha (Bonferroni): alpha / 3 each.
 */
export const TIMED_METRICS: MetricName[] = ['lagP99Ms', 'blockingMaxMs', 'wallMs'];
export const COMPARED_METRICS: MetricName[] = [...TIMED_METRICS, 'blockingCount'];

export function evaluateScript(result: ScriptRuns, budgets: Budgets, baseline: BaselineScript | null, settings: EvaluateSettings): ScriptVerdict {
  if (result.crash) return { status: 'error', checks: [], notes: [] };
  const checks: Check[] = [];
  const notes: string[] = [];
  for (const name of BUDGETS) {
    const spec = budgets[name];
    if (spec) checks.push(budgetCheck(name, spec, result, settings));
  }
  if (baseline) {
    for (const metric of COMPARED_METRICS) {
      if (metric === 'blockingCount' && baseline.blockingThresholdMs !== settings.blockingThresholdMs) {
        notes.push(
          `blocking count not compared: the baseline counted stretches of ${baseline.blockingThresholdMs} ms and more, this run counts ${settings.blockingThresholdMs} ms and more`,
        );
        continue;
      }
      checks.push(regressionCheck(metric, result, baseline, settings));
    }
  }
  return { status: scriptStatus(checks, null), checks, notes };
}

export function scriptStatus(checks: Check[], crash: ScriptCrash | null): ScriptStatus {
  if (crash) return 'error';
  if (checks.some((c) => c.status === 'fail')) return 'fail';
  if (checks.some((c) => c.status === 'inconclusive')) return 'inconclusive';
  if (checks.some((c) => c.status === 'warn')) return 'warn';
  return 'pass';
}

export type OverallStatus = 'pass' | 'fail' | 'inconclusive' | 'error';

/** 0 pass (warnings allowed), 1 failed, 2 a script crashed, 3 inconclusive (or per --inconclusive). */
export function overall(statuses: ScriptStatus[], mode: InconclusiveMode): { status: OverallStatus; exitCode: number } {
  if (statuses.includes('error')) return { status: 'error', exitCode: 2 };
  if (statuses.includes('fail')) return { status: 'fail', exitCode: 1 };
  if (statuses.includes('inconclusive')) {
    return { status: 'inconclusive', exitCode: mode === 'fail' ? 1 : mode === 'pass' ? 0 : 3 };
  }
  return { status: 'pass', exitCode: 0 };
}
