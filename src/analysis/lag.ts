// Event-loop lag, judged on what the program did. The drift probe's lateness is the wall-clock
// time it ran late; on a loaded machine part of that is the main thread waiting for a CPU (other
// processes had it), which is not the program's doing. Where the recorder sampled the thread's
// scheduler statistics, each probe's lag is its lateness minus the run-queue wait that fell in
// its interval (from when it was set to when it ran), never below 0; the wall-clock figures are
// kept beside them.
import { mean, quantileSorted } from 'simple-statistics';
import type { TraceModel } from '../model/types.js';
import { cpuTime } from './cpu-time.js';
import type { LagSummary } from './results.js';
import type { Work } from './work.js';

export function summarizeLag(values: ArrayLike<number>): LagSummary {
  if (values.length === 0) return { p50Ms: 0, p90Ms: 0, p99Ms: 0, maxMs: 0, meanMs: 0 };
  const sorted = Array.from(values).sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return {
    p50Ms: round(quantileSorted(sorted, 0.5)),
    p90Ms: round(quantileSorted(sorted, 0.9)),
    p99Ms: round(quantileSorted(sorted, 0.99)),
    maxMs: round(sorted[sorted.length - 1]!),
    meanMs: round(mean(sorted)),
  };
}

export interface LagFigures {
  /** The program's lag: its percentiles, and the value of each probe sample. */
  summary: LagSummary;
  values: Float64Array;
  /** Without scheduler samples, null: the figures above are the wall clock's. */
  waitingForCpu: {
    /** The wall-clock lag's percentiles. */
    wallClock: LagSummary;
    /** Lateness left out, in all: the probes' time waiting for a CPU. */
    excludedMs: number;
    /** Probe samples that waited for a CPU. */
    samples: number;
  } | null;
}

export function lagPass(model: TraceModel, work: Work): LagFigures {
  const { times, values: wall } = model.lag;
  work.add(wall.length * Math.log2(wall.length + 2));
  const cpu = cpuTime(model.sched);
  if (!cpu) return { summary: summarizeLag(wall), values: wall, waitingForCpu: null };
  const values = new Float64Array(wall.length);
  let excludedMs = 0;
  let samples = 0;
  for (let i = 0; i < wall.length; i++) {
    const lateMs = wall[i]!;
    // From when the probe was set (its previous run) to when it ran.
    const waitedMs = cpu.waitingMs(times[i]! - lateMs - model.lagIntervalMs, times[i]!);
    values[i] = Math.max(0, lateMs - waitedMs);
    if (lateMs > values[i]!) {
      excludedMs += lateMs - values[i]!;
      samples++;
    }
  }
  return { summary: summarizeLag(values), values, waitingForCpu: { wallClock: summarizeLag(wall), excludedMs, samples } };
}
