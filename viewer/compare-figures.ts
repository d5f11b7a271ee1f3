// The figures of a phase (a task and its children) for the comparison view: from the view
// model's analysis section (computed server-side by src/analysis/compare.ts's rules), or, for a
// task it has no figures for (a leaf, or beyond the cap), computed here from the columns, without
// the critical path (the browser has no TraceModel); its peak by tasks-in-flight.ts.
import type { ViewAnalysis, ViewPhaseStats } from '../src/view-model/analysis.js';
import { peakTasksInFlight } from './tasks-in-flight.js';
import type { Trace } from './trace.js';

/** A phase's figures as the view model gives them (criticalPathMs NaN and criticalPath empty when unknown), with its span. */
export interface Figures extends ViewPhaseStats {
  startMs: number;
  endMs: number;
}

export function analysisOf(trace: Trace): ViewAnalysis | undefined {
  return trace.header.analysis;
}

/** Display indices of the children of task i. */
export function childrenOf(trace: Trace, i: number): number[] {
  const { taskSize } = trace.c;
  const out: number[] = [];
  for (let d = i + 1, end = i + taskSize[i]!; d < end; d += Math.max(1, taskSize[d]!)) out.push(d);
  return out;
}

export function figuresOf(trace: Trace, task: number): Figures {
  const { taskStart, taskEnd } = trace.c;
  const known: ViewPhaseStats | undefined = analysisOf(trace)?.stats.find((s) => s.task === task);
  const startMs = taskStart[task]!;
  const endMs = taskEnd[task]!;
  if (known) return { ...known, startMs, endMs };
  const wallMs = endMs - startMs;
  const children = childrenOf(trace, task);
  const work = children.length > 0 ? children : [task];
  let workMs = 0;
  const starts = new Float64Array(work.length);
  const ends = new Float64Array(work.length);
  work.forEach((c, k) => {
    starts[k] = taskStart[c]!;
    ends[k] = taskEnd[c]!;
    workMs += ends[k]! - starts[k]!;
  });
  const maxConcurrency = peakTasksInFlight(starts, ends);
  return {
    task,
    startMs,
    endMs,
    wallMs,
    workMs,
    parallelism: wallMs > 0 ? workMs / wallMs : 0,
    maxConcurrency,
    criticalPathMs: children.length === 0 ? wallMs : Number.NaN,
    loopSavingMs: 0,
    workTasks: work.length,
    criticalPath: children.length === 0 ? [task] : [],
  };
}

/** The pair "Compare phases" opens with, or null when the run has no two phases to compare. */
export function suggestedPair(trace: Trace): [number, number] | null {
  return analysisOf(trace)?.suggested ?? null;
}
