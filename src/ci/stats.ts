// Statistics for the CI gate: aggregation of per-run values and a rank test that tells a real
// change from run-to-run noise. Pure functions, no I/O.
import { errorFunction, median as ssMedian, wilcoxonRankSum } from 'simple-statistics';

export type Aggregate = 'median' | 'pessimistic';

export function median(values: readonly number[]): number {
  return values.length === 0 ? 0 : ssMedian([...values]);
}

/** Every metric is "higher is worse": pessimistic takes the worst run. */
export function aggregate(values: readonly number[], how: Aggregate): number {
  if (values.length === 0) return 0;
  if (how === 'median') return median(values);
  // A loop, not Math.max(...values): a baseline may hold more runs than a call has arguments.
  let worst = values[0]!;
  for (const v of values) if (v > worst) worst = v;
  return worst;
}

export interface RankTest {
  /** Mann-Whitney U of `after` over `before` (ties count one half). */
  u: number;
  /** One-sided p-value for "after tends to be larger than before". */
  p: number;
  /** exact: from all rearrangements of the pooled values; normal: large-sample approximation. */
  method: 'exact' | 'normal' | 'none';
}

/**
 * U statistic: pairs (a, b) with a > b, plus one half for each tie. From the rank sum of `after`
 * in the pooled sample (ties get their mean rank), so a long baseline costs a sort, not n x m.
 */
export function mannWhitneyU(after: readonly number[], before: readonly number[]): number {
  if (after.length === 0 || before.length === 0) return 0;
  const n = after.length;
  return wilcoxonRankSum([...after], [...before]) - (n * (n + 1)) / 2;
}

/** Above this many rearrangements the normal approximation is used instead. */
const EXACT_LIMIT = 200_000;

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/**
 * One-sided Mann-Whitney U test: is `after` stochastically larger than `before`?
 * Small samples get the exact permutation distribution (ties included), so the p-value is
 * honest at the run counts CI uses: with 3 runs on each side the smallest possible p is 1/20.
 */
export function mannWhitneyGreater(after: readonly number[], before: readonly number[]): RankTest {
  const n = after.length;
  const m = before.length;
  if (n === 0 || m === 0) return { u: 0, p: 1, method: 'none' };
  const u = mannWhitneyU(after, before);
  const pooled = [...after, ...before];
  const total = binomial(n + m, n);
  if (total <= EXACT_LIMIT) {
    // Enumerate every way of picking which n of the pooled values are "after".
    let atLeast = 0;
    const chosen: number[] = [];
    const eps = 1e-9;
    const visit = (start: number) => {
      if (chosen.length === n) {
        const inA = new Set(chosen);
        const a: number[] = [];
        const b: number[] = [];
        pooled.forEach((v, i) => (inA.has(i) ? a : b).push(v));
        if (mannWhitneyU(a, b) >= u - eps) atLeast++;
        return;
      }
      for (let i = start; i <= pooled.length - (n - chosen.length); i++) {
        chosen.push(i);
        visit(i + 1);
        chosen.pop();
      }
    };
    visit(0);
    return { u, p: atLeast / total, method: 'exact' };
  }
  // Normal approximation with tie correction and continuity correction.
  const sorted = [...pooled].sort((x, y) => x - y);
  let tieTerm = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    const t = j - i;
    tieTerm += t * t * t - t;
    i = j;
  }
  const N = n + m;
  const mean = (n * m) / 2;
  const variance = ((n * m) / 12) * (N + 1 - tieTerm / (N * (N - 1)));
  if (variance <= 0) return { u, p: 1, method: 'normal' };
  const z = (u - mean - 0.5) / Math.sqrt(variance);
  return { u, p: 1 - normalCdf(z), method: 'normal' };
}

/** Standard normal CDF, from simple-statistics' error function. */
export function normalCdf(z: number): number {
  return (1 + errorFunction(z / Math.SQRT2)) / 2;
}
