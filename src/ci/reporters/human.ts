// The human reporter: per script and check, "expected ≤ X, found Y, all runs: a, b, c", the
// change against the baseline, and for blocking the function, file:line and a fix hint.
import type { Check } from '../evaluate.js';
import type { CiResult, ScriptResult } from '../result.js';
import { checkLabel, expected, plural, summaryLine, valueList } from './common.js';
import { METRICS, METRIC_INFO, formatValue } from '../metrics.js';

export interface Paint {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const id = (s: string) => s;
export const NO_COLOR: Paint = { red: id, green: id, yellow: id, dim: id, bold: id };

export function ansiPaint(): Paint {
  const wrap = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
  return { red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}

function mark(status: string, p: Paint): string {
  switch (status) {
    case 'pass':
      return p.green('✓');
    case 'warn':
      return p.yellow('!');
    case 'inconclusive':
      return p.yellow('?');
    default:
      return p.red('✗');
  }
}

function renderCheck(check: Check, total: number, p: Paint): string[] {
  const lines: string[] = [];
  const label = checkLabel(check).padEnd(29);
  const found = formatValue(check.metric, check.value);
  let head = `    ${mark(check.status, p)} ${label} expected ${expected(check)}, found ${found}`;
  if (check.kind === 'regression') {
    const pct = check.changePct !== null ? ` (${check.changePct >= 0 ? '+' : ''}${Math.round(check.changePct)}%)` : '';
    head += `${pct}${check.pValue !== null ? `, p=${check.pValue}` : ''}`;
  }
  head += p.dim(`   all runs: ${valueList(check.metric, check.values)}`);
  if (check.kind === 'regression') head += p.dim(`; baseline: ${valueList(check.metric, check.baselineValues)}`);
  lines.push(head);
  if (check.status !== 'pass') {
    lines.push(`        ${check.status === 'fail' ? p.red(check.message) : p.yellow(check.message)}`);
    const loc = check.location;
    if (loc) {
      if (!check.message.includes(`${loc.file}:${loc.line}`)) {
        lines.push(`        at ${p.bold(loc.function)} ${loc.file}:${loc.line} (${formatValue('blockingMaxMs', loc.durationMs)}, in ${loc.runs}/${total} runs)`);
      }
      if (loc.inside) lines.push(`        inside ${loc.inside}`);
      lines.push(`        fix: ${loc.hint}`);
    }
  }
  return lines;
}

function renderScript(script: ScriptResult, p: Paint): string[] {
  const lines = [`${mark(script.status, p)} ${p.bold(script.script)}${script.baseline === 'missing' ? p.dim('  (not in the baseline yet)') : ''}${script.baseline === 'recorded' ? p.dim('  (baseline recorded)') : ''}`];
  if (script.error) {
    const e = script.error;
    lines.push(`    ${p.red(`the script crashed on run ${e.run}: it ${e.message}`)}`);
    if (e.output.length) {
      lines.push(`    ${p.dim('its last output:')}`);
      for (const l of e.output) lines.push(`      ${p.dim(l)}`);
    }
    return lines;
  }
  for (const check of script.checks) lines.push(...renderCheck(check, script.runs.length, p));
  if (script.checks.length === 0) {
    lines.push(`    ${p.dim(`no checks; ${plural(script.runs.length, 'run')}:`)}`);
    for (const metric of METRICS) {
      const values = script.runs.map((r) => r[metric] ?? 0);
      // A script with no worker threads has nothing to say about them.
      if (metric === 'workerBlockingMaxMs' && values.every((v) => v === 0)) continue;
      lines.push(`      ${METRIC_INFO[metric].label.padEnd(27)}${p.dim(valueList(metric, values))}`);
    }
  }
  for (const note of script.notes) lines.push(`    ${p.dim(`note: ${note}`)}`);
  return lines;
}

export function renderHuman(result: CiResult, p: Paint = NO_COLOR): string {
  const s = result.settings;
  const lines: string[] = [];
  const runs = `${plural(result.scripts.length, 'script')} × ${plural(s.runs, 'run')}, checked on the ${s.aggregate === 'median' ? 'median' : 'worst run (pessimistic)'}`;
  lines.push(p.bold(`async-prof ci: ${runs}`));
  if (s.baseline) lines.push(p.dim(`baseline: ${s.baseline}${s.updateBaseline ? ' (updated)' : ''}`));
  for (const w of result.warnings) lines.push(p.yellow(`warning: ${w}`));
  lines.push('');
  for (const script of result.scripts) lines.push(...renderScript(script, p), '');
  const summary = summaryLine(result);
  lines.push(result.exitCode === 0 ? p.green(summary) : result.status === 'inconclusive' ? p.yellow(summary) : p.red(summary));
  return `${lines.join('\n')}\n`;
}
