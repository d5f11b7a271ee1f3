// What the analyses of issue 5 add to `report`: the report JSON fields (hints, dependencies,
// criticalPath, bottlenecks, phases) and the lines of the text summary. report-json.ts and
// text-report.ts call these two functions and nothing else of ours, so their edits stay small.
//
// Pure and browser-safe. API:
//   insightsJson(model, hintOptions?): InsightsJson
//   insightsText(model, colors, hintOptions?): string[]    lines for the text report (already indented)
// (hintOptions.source: read-source.ts's sourceReader(model) on the Node side.)
import type { TraceModel } from '../model/types.js';
import { formatMs, formatPercent } from '../report/format.js';
import { bottlenecks, criticalPath, criticalPathLengths, type StepKind } from './critical-path.js';
import { findDependencies, type DependencyKind } from './dependencies.js';
import { findHints, type Hint, type HintOptions } from './hints.js';
import { mainTask, markPhases, runPhases, type Marker, type Phase } from './phases.js';

export interface InsightsJson {
  /** Anti-patterns at their line, with a fix (docs/analysis.md). */
  hints: Hint[];
  /** Which task awaited which (inferred: docs/analysis.md). */
  dependencies: {
    /** The task that awaited. */
    waiter: number;
    /** The task it awaited. */
    task: number;
    kind: DependencyKind;
    /** The await's line in the waiter's file. */
    line: number;
    waitStartMs: number;
    waitEndMs: number;
    /** Its end is what let the waiter go on. */
    resumed: boolean;
    /** False for a race's losers (still running when the waiter went on). */
    settled: boolean;
  }[];
  criticalPath: {
    /** The whole run: what decided when it ended. */
    run: {
      lengthMs: number;
      taskIds: number[];
      steps: { kind: StepKind; taskId: number | null; startMs: number; endMs: number; file: string; line: number; resourceType?: string; function?: string }[];
    };
    /** Every task that has children: its critical-path length and the tasks on it (a leaf's is its own duration). */
    tasks: { id: number; lengthMs: number; taskIds: number[] }[];
  };
  /** Where the run's critical path spent its time, biggest first, with the share of the wall time. */
  bottlenecks: { kind: StepKind; label: string; file: string; line: number; ms: number; share: number }[];
  phases: {
    /** The top-level task the phases are of (the longest), or null. */
    mainTaskId: number | null;
    tasks: Phase[];
    /** performance.measure() entries. */
    measures: Phase[];
    /** performance.mark() entries. */
    marks: Marker[];
  };
}

const ms = (v: number) => Math.round(v * 1000) / 1000;

export function insightsJson(model: TraceModel, options: HintOptions = {}): InsightsJson {
  const run = criticalPath(model, null);
  const lengths = criticalPathLengths(model);
  const { measures, marks } = markPhases(model);
  const roundPhase = (p: Phase): Phase => ({ ...p, startMs: ms(p.startMs), endMs: ms(p.endMs), durationMs: ms(p.durationMs) });
  return {
    hints: findHints(model, options),
    dependencies: findDependencies(model).map((d) => ({
      waiter: d.waiterId,
      task: d.taskId,
      kind: d.kind,
      line: d.line,
      waitStartMs: ms(d.waitStartMs),
      waitEndMs: ms(d.waitEndMs),
      resumed: d.resumed,
      settled: d.settled,
    })),
    criticalPath: {
      run: {
        lengthMs: ms(run.lengthMs),
        taskIds: run.taskIds,
        steps: run.steps.map((s) => ({
          kind: s.kind,
          taskId: s.taskId,
          startMs: ms(s.startMs),
          endMs: ms(s.endMs),
          file: s.file,
          line: s.line,
          ...(s.resourceType !== undefined ? { resourceType: s.resourceType } : {}),
          ...(s.function !== undefined ? { function: s.function } : {}),
        })),
      },
      tasks: model.tasks
        .filter((t) => t.children.length > 0)
        .map((t) => ({ id: t.id, lengthMs: ms(lengths.get(t.id) ?? 0), taskIds: criticalPath(model, t.id).taskIds })),
    },
    bottlenecks: bottlenecks(model, run, 10).map((b) => ({ kind: b.kind, label: b.label, file: b.file, line: b.line, ms: ms(b.ms), share: Math.round(b.share * 10000) / 10000 })),
    phases: {
      mainTaskId: mainTask(model)?.id ?? null,
      tasks: runPhases(model).map(roundPhase),
      measures: measures.map(roundPhase),
      marks: marks.map((m) => ({ name: m.name, atMs: ms(m.atMs) })),
    },
  };
}

/**
 * Consecutive phases of the same name as one entry (a loop of awaited calls is one phase per
 * call): its count and the time from the first one's start to the last one's end.
 */
function repeatedPhases(phases: Phase[]): { name: string; count: number; spanMs: number }[] {
  const runs: { name: string; count: number; startMs: number; endMs: number }[] = [];
  for (const p of phases) {
    const last = runs[runs.length - 1];
    if (last && last.name === p.name) {
      last.count++;
      last.endMs = p.endMs;
    } else {
      runs.push({ name: p.name, count: 1, startMs: p.startMs, endMs: p.endMs });
    }
  }
  return runs.map((r) => ({ name: r.name, count: r.count, spanMs: r.endMs - r.startMs }));
}

interface Colors {
  bold: (s: string) => string;
  dim: (s: string) => string;
  yellow: (s: string) => string;
}

export function insightsText(model: TraceModel, c: Colors, options: HintOptions = {}): string[] {
  const lines: string[] = [];
  const phases = runPhases(model);
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

  const run = criticalPath(model, null);
  if (run.taskIds.length > 0) {
    const names = run.taskIds.map((id) => `${model.taskById[id]!.name}#${id}`);
    const chain = names.length > 6 ? [...names.slice(0, 3), '…', ...names.slice(-2)] : names;
    lines.push(`  critical path  ${formatMs(run.lengthMs)} of ${formatMs(model.wallMs)}: ${chain.join(' → ')}`);
    const top = bottlenecks(model, run, 5).filter((b) => b.share >= 0.01);
    if (top.length > 0) {
      lines.push('  top bottlenecks (share of the wall time, on the critical path):');
      for (const b of top) lines.push(`    ${formatPercent(b.share).padStart(6)}  ${formatMs(b.ms).padStart(9)}  ${b.label}`);
    }
  }

  const hints = findHints(model, options);
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
