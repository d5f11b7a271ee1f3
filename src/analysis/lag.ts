// Percentiles of the lag series.
import { mean, quantileSorted } from 'simple-statistics';
import type { LagSummary } from '../model/types.js';

export function summarizeLag(values: readonly number[]): LagSummary {
  if (values.length === 0) return { p50Ms: 0, p90Ms: 0, p99Ms: 0, maxMs: 0, meanMs: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return {
    p50Ms: round(quantileSorted(sorted, 0.5)),
    p90Ms: round(quantileSorted(sorted, 0.9)),
    p99Ms: round(quantileSorted(sorted, 0.99)),
    maxMs: round(sorted[sorted.length - 1]!),
    meanMs: round(mean(sorted)),
  };
}
