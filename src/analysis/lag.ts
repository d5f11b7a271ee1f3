// Percentiles of the lag series.
import { mean, quantileSorted } from 'simple-statistics';
import type { TraceModel } from '../model/types.js';
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
  /** The program's lag (see lagPass). */
  summary: LagSummary;
  /** Lag per probe sample, as summarised. */
  values: Float64Array;
}

export function lagPass(model: TraceModel, work: Work): LagFigures {
  work.add(model.lag.values.length * Math.log2(model.lag.values.length + 2));
  return { summary: summarizeLag(model.lag.values), values: model.lag.values };
}
