// Small pieces every reporter shares: labels, value lists and counts.
import type { Check } from '../evaluate.js';
import { METRIC_INFO, formatValue, type MetricName } from '../metrics.js';
import type { CiResult } from '../result.js';

export function checkLabel(check: Check): string {
  const label = METRIC_INFO[check.metric].label;
  return check.kind === 'budget' ? label : `${label} vs baseline`;
}

export function expected(check: Check): string {
  if (check.kind === 'budget') return `≤ ${formatValue(check.metric, check.budget)}`;
  return `≤ ${formatValue(check.metric, check.baseline)}${METRIC_INFO[check.metric].count ? '' : ' + tolerance'}`;
}

/** Values shown per list: a baseline may hold thousands of runs; the json report has them all. */
const MAX_LISTED_VALUES = 20;

export function valueList(metric: MetricName, values: number[]): string {
  const unit = METRIC_INFO[metric].unit;
  const shown = values.slice(0, MAX_LISTED_VALUES).map((v) => formatValue(metric, v).replace(` ${unit}`, ''));
  const more = values.length > MAX_LISTED_VALUES ? `, … (${(values.length - MAX_LISTED_VALUES).toLocaleString('en-US')} more)` : '';
  return shown.join(', ') + more + (unit ? ` ${unit}` : '');
}

export function counts(result: CiResult): { budgets: number; warnings: number; regressions: number; inconclusive: number; crashed: number } {
  let budgets = 0;
  let warnings = 0;
  let regressions = 0;
  let inconclusive = 0;
  for (const s of result.scripts) {
    for (const c of s.checks) {
      if (c.kind === 'budget' && c.status === 'fail') budgets++;
      if (c.status === 'warn') warnings++;
      if (c.kind === 'regression' && c.status === 'fail') regressions++;
      if (c.status === 'inconclusive') inconclusive++;
    }
  }
  return { budgets, warnings, regressions, inconclusive, crashed: result.scripts.filter((s) => s.error).length };
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function summaryLine(result: CiResult): string {
  const c = counts(result);
  const parts: string[] = [];
  if (c.crashed) parts.push(`${plural(c.crashed, 'script')} crashed`);
  if (c.budgets) parts.push(`${plural(c.budgets, 'budget')} exceeded`);
  if (c.regressions) parts.push(`${plural(c.regressions, 'regression')}`);
  if (c.inconclusive) parts.push(`${c.inconclusive} inconclusive`);
  if (c.warnings) parts.push(`${plural(c.warnings, 'warning')}`);
  const scripts = plural(result.scripts.length, 'script');
  const status = result.status.toUpperCase();
  return `${status}: ${scripts}${parts.length ? `, ${parts.join(', ')}` : ', all checks passed'} (exit ${result.exitCode})`;
}
