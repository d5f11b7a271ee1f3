// GitHub Actions workflow commands: an annotation at the line that blocked the loop.
// `::error file=<path>,line=<n>,title=<t>::<message>`; paths are relative to the current
// directory, which is the repository root in a workflow.
import type { CiResult } from '../result.js';
import { checkLabel } from './common.js';

/** Message data: %, CR and LF are escaped. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property values: also ":" and ",". */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(kind: 'error' | 'warning' | 'notice', props: { file: string; line?: number; title: string }, message: string): string {
  const parts = [`file=${escapeProperty(props.file)}`];
  if (props.line && props.line > 0) parts.push(`line=${props.line}`);
  parts.push(`title=${escapeProperty(props.title)}`);
  return `::${kind} ${parts.join(',')}::${escapeData(message)}`;
}

export function renderGithub(result: CiResult): string {
  const lines: string[] = [];
  for (const script of result.scripts) {
    if (script.error) {
      lines.push(command('error', { file: script.script, title: `async-prof: ${script.script} crashed` }, `the script crashed on run ${script.error.run}: it ${script.error.message}`));
      continue;
    }
    for (const check of script.checks) {
      if (check.status === 'pass') continue;
      const kind = check.status === 'fail' ? 'error' : 'warning';
      const what = check.kind === 'budget' ? `${checkLabel(check)} over budget` : check.status === 'fail' ? `${checkLabel(check)} regressed` : `${checkLabel(check)}: inconclusive`;
      const loc = check.location;
      const message = loc ? `${check.message} (${script.script}). Fix: ${loc.hint}` : `${check.message} (${script.script})`;
      lines.push(command(kind, { file: loc?.file || script.script, line: loc?.line, title: `async-prof: ${what}` }, message));
    }
  }
  for (const w of result.warnings) lines.push(`::warning title=async-prof::${escapeData(w)}`);
  return lines.length ? `${lines.join('\n')}\n` : '';
}
