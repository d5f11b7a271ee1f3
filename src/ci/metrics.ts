// What `async-prof ci` measures in each run, and the budget names that limit each measure.
// Every metric is "higher is worse".
import type { ReportJson } from '../report/report-json.js';

export const METRICS = ['lagP99Ms', 'lagMaxMs', 'blockingMaxMs', 'blockingCount', 'wallMs', 'workerBlockingMaxMs'] as const;
export type MetricName = (typeof METRICS)[number];

/**
 * maxBlocking and maxBlockingCount are the main thread's (the loop that serves timers and I/O);
 * maxWorkerBlocking is worker threads', where blocking is often the point ("workers may block").
 */
export const BUDGETS = ['maxLagP99', 'maxLag', 'maxBlocking', 'maxBlockingCount', 'maxWall', 'maxWorkerBlocking'] as const;
export type BudgetName = (typeof BUDGETS)[number];

export interface MetricInfo {
  budget: BudgetName;
  flag: string;
  /** For people: "lag p99", "longest blocking". */
  label: string;
  unit: 'ms' | '';
  /** Counts are compared with the baseline exactly, durations with tolerance and a rank test. */
  count: boolean;
}

export const METRIC_INFO: Record<MetricName, MetricInfo> = {
  lagP99Ms: { budget: 'maxLagP99', flag: '--max-lag-p99', label: 'lag p99', unit: 'ms', count: false },
  lagMaxMs: { budget: 'maxLag', flag: '--max-lag', label: 'lag max', unit: 'ms', count: false },
  blockingMaxMs: { budget: 'maxBlocking', flag: '--max-blocking', label: 'longest blocking', unit: 'ms', count: false },
  blockingCount: { budget: 'maxBlockingCount', flag: '--max-blocking-count', label: 'blocking count', unit: '', count: true },
  wallMs: { budget: 'maxWall', flag: '--max-wall', label: 'wall time', unit: 'ms', count: false },
  workerBlockingMaxMs: { budget: 'maxWorkerBlocking', flag: '--max-worker-blocking', label: 'longest blocking in a worker thread', unit: 'ms', count: false },
};

export const METRIC_OF_BUDGET: Record<BudgetName, MetricName> = Object.fromEntries(
  METRICS.map((m) => [METRIC_INFO[m].budget, m]),
) as Record<BudgetName, MetricName>;

/** A run's values. Worker blocking is absent from baselines recorded before worker threads were. */
export type RunValues = Record<Exclude<MetricName, 'workerBlockingMaxMs'>, number> & { workerBlockingMaxMs?: number };

export interface BlockingSite {
  function: string;
  file: string;
  line: number;
  durationMs: number;
  /** Where the time went when not in user code, e.g. "readFileSync (node:fs)". */
  inside: string | null;
}

function describeFrame(frame: { function: string; file: string; line: number }): string {
  if (frame.file.startsWith('(') || frame.file === '') return `${frame.function} ${frame.file || '(native)'}`;
  return `${frame.function} (${frame.file}${frame.line ? `:${frame.line}` : ''})`;
}

const round = (v: number) => Math.round(v * 100) / 100;

/** The values of one run. `countThresholdMs`: stretches at least this long are counted. */
export function runValues(report: ReportJson, countThresholdMs: number): RunValues {
  // Node's one-time set-up (its built-in modules, bundled WebAssembly) is not the script's to fix.
  const durations = scriptBlocking(report).map(programMs);
  return {
    lagP99Ms: round(report.lag.p99Ms),
    lagMaxMs: round(report.lag.maxMs),
    blockingMaxMs: round(durations.length ? Math.max(...durations) : 0),
    blockingCount: durations.filter((d) => d >= countThresholdMs).length,
    wallMs: round(report.wallMs),
    workerBlockingMaxMs: round(workerBlockingMax(report)),
  };
}

/** The longest blocking stretch of any worker thread (0: none, or no worker threads). */
function workerBlockingMax(report: ReportJson): number {
  let max = 0;
  for (const thread of report.threads ?? []) {
    if (thread.threadId === 0) continue;
    for (const b of thread.blocking) max = Math.max(max, b.durationMs);
  }
  return max;
}

/** What the program did: a loaded machine's time waiting for a CPU is not its own. */
function programMs(b: ReportJson['blocking'][number]): number {
  return b.durationMs - (b.cpuWaitMs ?? 0);
}

function scriptBlocking(report: ReportJson): ReportJson['blocking'] {
  return report.blocking.filter((b) => !b.nodeSetup);
}

export function blockingSites(report: ReportJson): BlockingSite[] {
  return scriptBlocking(report).map((b) => ({
    function: b.function,
    file: b.file,
    line: b.line,
    durationMs: round(programMs(b)),
    inside: b.inside ? describeFrame(b.inside) : null,
  }));
}

export function formatValue(metric: MetricName, value: number): string {
  if (METRIC_INFO[metric].count) return String(Number.isInteger(value) ? value : round(value));
  return `${value >= 100 ? Math.round(value) : round(value)} ms`;
}
