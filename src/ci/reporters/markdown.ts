// Markdown: a summary table per run of `async-prof ci`, made for $GITHUB_STEP_SUMMARY.
import type { CiResult } from '../result.js';
import { formatValue } from '../metrics.js';
import { checkLabel, expected, summaryLine, valueList } from './common.js';

const ICON: Record<string, string> = { pass: '✅', warn: '⚠️', inconclusive: '❔', fail: '❌', error: '💥' };

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function renderMarkdown(result: CiResult): string {
  const lines: string[] = [`### ${ICON[result.status] ?? ''} async-prof ci: ${result.status}`, ''];
  lines.push(`${result.settings.runs} runs per script, checked on the ${result.settings.aggregate === 'median' ? 'median' : 'worst run'}${result.settings.baseline ? `; baseline \`${result.settings.baseline}\`` : ''}.`, '');
  for (const w of result.warnings) lines.push(`> ⚠️ ${cell(w)}`, '');
  lines.push('| Script | Check | Expected | Found | All runs | Baseline | Status |', '| --- | --- | --- | --- | --- | --- | --- |');
  const details: string[] = [];
  for (const script of result.scripts) {
    const name = `\`${cell(script.script)}\``;
    if (script.error) {
      lines.push(`| ${name} | runs without crashing | exit 0 | ${cell(script.error.message)} | run ${script.error.run} |  | ${ICON.error} |`);
      continue;
    }
    for (const check of script.checks) {
      const baseline =
        check.kind === 'regression'
          ? `${formatValue(check.metric, check.baseline)}${check.changePct !== null ? ` (${check.changePct >= 0 ? '+' : ''}${Math.round(check.changePct)}%)` : ''}${check.pValue !== null ? `, p=${check.pValue}` : ''}`
          : '';
      lines.push(
        `| ${name} | ${checkLabel(check)} | ${cell(expected(check))} | ${formatValue(check.metric, check.value)} | ${valueList(check.metric, check.values)} | ${baseline} | ${ICON[check.status]} |`,
      );
      if (check.status !== 'pass') {
        const loc = check.location;
        details.push(`- ${ICON[check.status]} ${name}: ${cell(check.message)}${loc ? `. Fix: ${cell(loc.hint)}` : ''}`);
      }
    }
    if (script.checks.length === 0) lines.push(`| ${name} | (no checks) |  |  | ${script.runs.length} runs |  | ${ICON.pass} |`);
  }
  lines.push('');
  if (details.length) lines.push(...details, '');
  lines.push(`**${summaryLine(result)}**`, '');
  return `${lines.join('\n')}\n`;
}
