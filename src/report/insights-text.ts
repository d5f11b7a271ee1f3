// The lines of the text report about phases, marks, the critical path, bottlenecks and hints.
import { bottlenecks } from '../analysis/critical-path.js';
import { markPhases, type PhaseList } from '../analysis/phases.js';
import type { Analysis } from '../analysis/pipeline.js';
import type { TraceModel } from '../model/types.js';
import { formatMs, formatPercent } from './format.js';

/**
 * Consecutive phases of the same name as one entry (a loop of awaited calls is one phase per
 * call): its count and the time from the first one's start to the last one's end.
 */
function repeatedPhases(phases: PhaseList): { name: string; count: number; spanMs: number }[] {
  const runs: { name: string; count: number; startMs: number; endMs: number }[] = [];
  for (let i = 0; i < phases.length; i++) {
    const name = phases.nameOf(i);
    const last = runs[runs.length - 1];
    if (last && last.name === name) {
      last.count++;
      last.endMs = phases.endOf(i);
    } else {
      runs.push({ name, count: 1, startMs: phases.startOf(i), endMs: phases.endOf(i) });
    }
  }
  return runs.map((r) => ({ name: r.name, count: r.count, spanMs: r.endMs - r.startMs }));
}

export interface Colors {
  bold: (s: string) => string;
  dim: (s: string) => string;
  yellow: (s: string) => string;
}

export function insightsText(model: TraceModel, analysis: Analysis, c: Colors): string[] {
  const lines: string[] = [];
  const phases = analysis.phases;
  if (phases.length > 1) {
    const runs = repeatedPhases(phases);
    const shown = runs.slice(0, 6).map((r) => (r.count > 1 ? `${r.count.toLocaleString('en-US')} × ${r.name}, one after another ${formatMs(r.spanMs)}` : `${r.name} ${formatMs(r.spanMs)}`));
    lines.push(`  phases     ${shown.join('  |  ')}${runs.length > 6 ? `  |  ... ${runs.length - 6} more` : ''}`);
  }
  const { measures, marks } = markPhases(model);
  if (measures.length > 0 || marks.length > 0) {
    const parts = [...measures.slice(0, 6).map((m) => `${m.name} ${formatMs(m.durationMs)}`), ...marks.slice(0, 4).map((m) => `${m.name} @${formatMs(m.atMs)}`)];
    lines.push(`  marks      ${parts.join(', ')}${measures.length + marks.length > parts.length ? ', ...' : ''}`);
  }

  const run = analysis.runPath;
  if (run && run.tasks.length > 0) {
    const T = model.columns.tasks;
    const label = (t: number) => `${model.functions.name[T.fn[t]!]}#${T.id[t]}`;
    const ids = run.tasks;
    const chain = ids.length > 6 ? [...ids.slice(0, 3).map(label), '…', ...ids.slice(-2).map(label)] : ids.map(label);
    lines.push(`  critical path  ${formatMs(run.lengthMs)} of ${formatMs(model.wallMs)}: ${chain.join(' → ')}`);
    const top = bottlenecks(model, run.steps, 5).filter((b) => b.share >= 0.01);
    if (top.length > 0) {
      lines.push('  top bottlenecks (share of the wall time, on the critical path):');
      for (const b of top) lines.push(`    ${formatPercent(b.share).padStart(6)}  ${formatMs(b.ms).padStart(9)}  ${b.label}`);
    }
  }

  const hints = analysis.hints;
  if (hints.length > 0) {
    lines.push(`  hints:`);
    for (const h of hints.slice(0, 10)) {
      const saving = h.savingMs !== undefined ? c.bold(` [saves ~${formatMs(h.savingMs)}]`) : '';
      lines.push(`    ${c.yellow(`${h.kind} ${h.name}`)} ${c.dim(`${h.file}:${h.line}`)}${saving}`);
      lines.push(`      ${h.message}`);
    }
    if (hints.length > 10) lines.push(c.dim(`    ... ${hints.length - 10} more (report --json has them all)`));
  }
  return lines;
}
