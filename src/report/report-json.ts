// The report JSON: a public contract (docs/report-format.md). Fields may be added; none of the
// existing ones may change meaning.
import { isAwaitChain } from '../analysis/await-chain.js';
import { concurrencyCurve } from '../analysis/concurrency.js';
import type { Frame, TraceModel } from '../model/types.js';
import { insightsJson, type InsightsJson } from '../analysis/insights.js';
import { sourceReader } from '../analysis/read-source.js';

/** Issue 5's fields (hints, dependencies, criticalPath, bottlenecks, phases): src/analysis/insights.ts. */
export interface ReportJson extends InsightsJson {
  version: 1;
  script: string;
  args: string[];
  exitCode: number;
  wallMs: number;
  tasks: {
    id: number;
    parentId: number | null;
    name: string;
    file: string;
    line: number;
    startMs: number;
    endMs: number | null;
    outcome: 'fulfilled' | 'rejected' | 'pending';
    runMs: number;
    waitMs: number;
    segments: { kind: 'run' | 'wait'; startMs: number; endMs: number; line: number }[];
  }[];
  resources: Record<string, number>;
  lag: { p50Ms: number; p90Ms: number; p99Ms: number; maxMs: number; meanMs: number };
  elu: number;
  blocking: {
    startMs: number;
    durationMs: number;
    taskId: number | null;
    function: string;
    file: string;
    line: number;
    stack: Frame[];
    inside: Frame | null;
    /** Added: the time went into Node's one-time set-up (built-in module or WASM compilation). */
    nodeSetup: boolean;
    /** Added: of durationMs, the time the script was on the CPU. */
    cpuMs: number;
    /** Added: awaits that resumed inside the stretch. */
    awaitsResumed: number;
    /** Added: the longest time one task ran without a break inside the stretch. */
    longestRunMs: number;
    /** Added: timer and I/O callbacks that ran inside the stretch. */
    resourceCallbacks: number;
    /** Added: the loop was held by a chain of awaits that never waited, not by one long call. */
    awaitChain: boolean;
  }[];
  /** Added: stretches with no idle sample in which the process was mostly not running (not blocking). */
  offCpu: { startMs: number; durationMs: number; cpuMs: number }[];
  concurrency: { maxTasks: number; meanTasks: number };
  dropped: number;
  /** Added fields (allowed by the contract). */
  blockingThresholdMs: number;
  /** Added: ms between profiler samples; 0: the profiler was off and `blocking` was not measured. */
  samplingIntervalMs: number;
  complete: boolean;
  signal: string | null;
  errors: { origin: string; name: string; message: string }[];
  warnings: string[];
  trace: string;
}

const ms = (v: number) => Math.round(v * 1000) / 1000;

export function toReportJson(model: TraceModel): ReportJson {
  const resources: Record<string, number> = {};
  for (const r of model.resources) resources[r.type] = (resources[r.type] ?? 0) + 1;
  const concurrency = concurrencyCurve(model.tasks, 0, model.wallMs);
  return {
    version: 1,
    script: model.script,
    args: model.args,
    exitCode: model.exitCode ?? (model.signal ? 128 : 0),
    wallMs: ms(model.wallMs),
    tasks: model.tasks.map((t) => ({
      id: t.id,
      parentId: t.parentId,
      name: t.name,
      file: t.file,
      line: t.line,
      startMs: ms(t.startMs),
      endMs: t.endMs === null ? null : ms(t.endMs),
      outcome: t.outcome,
      runMs: ms(t.runMs),
      waitMs: ms(t.waitMs),
      segments: t.segments.map((s) => ({ kind: s.kind, startMs: ms(s.startMs), endMs: ms(s.endMs), line: s.line })),
    })),
    resources,
    lag: model.lagSummary,
    elu: Math.round((model.elu ?? 0) * 10000) / 10000,
    blocking: model.blocking.map((b) => ({
      startMs: ms(b.startMs),
      durationMs: ms(b.durationMs),
      taskId: b.taskId,
      function: b.function,
      file: b.file,
      line: b.line,
      stack: b.stack,
      inside: b.inside,
      nodeSetup: b.nodeSetup,
      cpuMs: ms(b.cpuMs),
      awaitsResumed: b.awaitsResumed,
      longestRunMs: ms(b.longestRunMs),
      resourceCallbacks: b.resourceCallbacks,
      awaitChain: isAwaitChain(b),
    })),
    offCpu: model.offCpu.map((o) => ({ startMs: ms(o.startMs), durationMs: ms(o.durationMs), cpuMs: ms(o.cpuMs) })),
    concurrency: { maxTasks: concurrency.maxTasks, meanTasks: Math.round(concurrency.meanTasks * 1000) / 1000 },
    dropped: model.dropped,
    blockingThresholdMs: model.blockingThresholdMs,
    samplingIntervalMs: model.samplingIntervalUs / 1000,
    complete: model.complete,
    signal: model.signal,
    errors: model.errors.map((e) => ({ origin: e.origin, name: e.name, message: e.message })),
    warnings: model.warnings,
    trace: model.tracePath,
    ...insightsJson(model, { source: sourceReader(model) }),
  };
}
