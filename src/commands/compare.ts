// `async-prof compare <trace> --a <task> --b <task> [--json]`: two phases (subtrees) of one run.
// `async-prof compare <traceA> <traceB> [--json]`: two runs, whole against whole, then their
// tasks by name, largest changes first. With two traces, --a / --b pick a task in each (one of
// them alone picks the same task in both). The figures are those of src/analysis/compare.ts.
import type { Command } from 'commander';
import pc from 'picocolors';
import { compareRuns, compareStats, findTask, phaseStats, type Comparison, type PhaseStats, type RunComparison, type TaskChange } from '../analysis/compare.js';
import { UsageError } from '../errors.js';
import type { TraceModel } from '../model/types.js';
import { formatMs } from '../report/format.js';
import { loadModel } from '../trace/load-model.js';
import { printWarnings, writeStdout } from '../output/output-streams.js';
import { terminalBlock } from '../output/terminal-text.js';
import { BLOCKING_THRESHOLD_HELP, positiveNumber } from './number-options.js';
import type { SetExit } from './set-exit.js';

interface CompareOptions {
  a?: string;
  b?: string;
  json?: boolean;
  blockingThreshold?: number;
}

export function registerCompareCommand(program: Command, setExit: SetExit): void {
  program
    .command('compare')
    .description('compare two phases of one trace (--a, --b), or two traces (before and after a change)')
    .argument('<trace>', 'a .trace file written by `async-prof run`')
    .argument('[traceB]', 'a second trace: compare the two runs')
    .option('--a <task>', 'task name (the first task with that name) or id, in the first trace')
    .option('--b <task>', 'task name or id, in the second trace if there is one')
    .option('--json', 'print the comparison as JSON')
    .option('--blocking-threshold <ms>', BLOCKING_THRESHOLD_HELP, positiveNumber('--blocking-threshold'))
    .addHelpText(
      'after',
      '\nExamples:\n  async-prof compare run.trace --a sequentialDownload --b parallelDownload\n  async-prof compare before.trace after.trace --json',
    )
    .action((trace: string, traceB: string | undefined, options: CompareOptions) => {
      setExit(compareCommand(trace, traceB, options));
    });
}

export function compareCommand(trace: string, traceB: string | undefined, options: CompareOptions): number {
  if (traceB === undefined && (options.a === undefined || options.b === undefined)) {
    throw new UsageError('compare: give --a and --b (tasks of one trace), or two traces');
  }
  const forTerminal = !options.json;
  const blockingThresholdMs = options.blockingThreshold;
  const modelA = loadModel(trace, { forTerminal, blockingThresholdMs });
  const modelB = traceB === undefined ? modelA : loadModel(traceB, { forTerminal, blockingThresholdMs });
  let result: Comparison | RunComparison;
  let mode: 'tasks' | 'runs';
  if (options.a !== undefined || options.b !== undefined) {
    const a = pick(modelA, options.a ?? options.b!, trace);
    const b = pick(modelB, options.b ?? options.a!, traceB ?? trace);
    result = compareStats(phaseStats(modelA, a), phaseStats(modelB, b));
    mode = 'tasks';
  } else {
    result = compareRuns(modelA, modelB);
    mode = 'runs';
  }
  if (options.json) {
    writeStdout(JSON.stringify({ ...result, mode, traces: { a: modelA.tracePath, b: modelB.tracePath } }) + '\n');
  } else {
    const color = process.stdout.isTTY === true;
    writeStdout(terminalBlock(compareText(result, modelA, modelB, { color }), color) + '\n');
  }
  printWarnings([...modelA.warnings, ...modelB.warnings]);
  return 0;
}

function pick(model: TraceModel, spec: string, trace: string): number {
  const task = findTask(model, spec);
  if (!task) {
    const names = [...new Set(model.tasks.map((t) => t.name))].slice(0, 12).join(', ');
    throw new UsageError(`compare: no task "${spec}" in ${trace}${names ? ` (tasks: ${names}${model.tasks.length > 12 ? ', ...' : ''})` : ''}`);
  }
  return task.id;
}

/** The column heading: the task, or for a whole run the trace's file name. */
function headTitle(stats: PhaseStats, model: TraceModel): string {
  return stats.taskId === null ? model.tracePath.slice(model.tracePath.lastIndexOf('/') + 1) : title(stats);
}

function title(stats: PhaseStats): string {
  return stats.taskId === null ? stats.name : `${stats.name}#${stats.taskId}`;
}

/** "1.73x", or "-" where there is no ratio (a phase that took no time). */
function times(n: number): string {
  return Number.isFinite(n) ? `${n.toFixed(2)}x` : '-';
}

function speedupLine(result: Comparison): string {
  const { a, b, speedup } = result;
  const change = `${formatMs(a.wallMs)} -> ${formatMs(b.wallMs)}`;
  // A run that took no time has no ratio to the other.
  if (!(speedup > 0) || !Number.isFinite(speedup)) return `no ratio: ${a.wallMs > 0 ? 'b' : 'a'} took no time (${change})`;
  if (Math.abs(speedup - 1) < 0.005) return `${speedup.toFixed(2)}x: same wall time (${change})`;
  return speedup > 1 ? `${speedup.toFixed(2)}x: b is ${speedup.toFixed(2)}x faster than a (${change})` : `${speedup.toFixed(2)}x: b is ${(1 / speedup).toFixed(2)}x slower than a (${change})`;
}

export function compareText(result: Comparison | RunComparison, modelA: TraceModel, modelB: TraceModel, options: { color?: boolean } = {}): string {
  const c = pc.createColors(options.color ?? false);
  const { a, b } = result;
  const lines: string[] = [];
  const sameRun = modelA === modelB;
  lines.push(`${c.bold('async-prof compare')}  ${sameRun ? modelA.script : `${modelA.tracePath}  vs  ${modelB.tracePath}`}`);
  const col = Math.max(28, ...[a, b].map((s, i) => headTitle(s, i === 0 ? modelA : modelB).length + 5), modelA.script.length + 2);
  const cell = (text: string) => text.padEnd(col);
  const row = (label: string, left: string, right: string) => `  ${label.padEnd(18)}${cell(left)}${right}`;
  lines.push(`  ${''.padEnd(18)}${c.bold(cell(`a: ${headTitle(a, modelA)}`))}${c.bold(`b: ${headTitle(b, modelB)}`)}`);
  if (!sameRun) {
    const script = (m: TraceModel) => [m.script, ...m.args].join(' ');
    lines.push(`  ${''.padEnd(18)}${c.dim(cell(script(modelA)))}${c.dim(script(modelB))}`);
  }
  lines.push(row('wall', formatMs(a.wallMs), formatMs(b.wallMs)));
  lines.push(row(a.taskId === null ? 'work (leaf tasks)' : 'work (children)', `${formatMs(a.workMs)} in ${a.workTasks} tasks`, `${formatMs(b.workMs)} in ${b.workTasks} tasks`));
  lines.push(row('parallelism', times(a.parallelism), times(b.parallelism)));
  lines.push(row('peak concurrency', String(a.maxConcurrency), String(b.maxConcurrency)));
  lines.push(row('critical path', formatMs(a.criticalPathMs), formatMs(b.criticalPathMs)));
  if (a.loopSavingMs > 0 || b.loopSavingMs > 0) {
    const ideal = (s: PhaseStats) => (s.loopSavingMs > 0 ? `~${formatMs(Math.max(0, s.criticalPathMs - s.loopSavingMs))}` : '-');
    lines.push(row('  loops together', ideal(a), ideal(b)) + c.dim('  (if the calls awaited in a loop ran at once: hint 1)'));
  }
  lines.push(`  ${'speedup'.padEnd(18)}${c.bold(speedupLine(result))}`);

  if (a.taskId !== null && b.taskId !== null) {
    lines.push('');
    lines.push(`  timeline, both from 0 (full width = ${formatMs(Math.max(a.wallMs, b.wallMs))}):`);
    const scale = Math.max(a.wallMs, b.wallMs);
    lines.push(...timeline('a', modelA, a, scale, c), ...timeline('b', modelB, b, scale, c));
  }
  if ('tasks' in result && result.tasks.length > 0) {
    lines.push('');
    lines.push(`  tasks by name, largest changes first:`);
    lines.push(c.dim(`    ${'task'.padEnd(26)}${'a: n   total    span'.padEnd(30)}${'b: n   total    span'.padEnd(30)}change`));
    for (const t of result.tasks.slice(0, 15)) lines.push(taskRow(t));
    if (result.tasks.length > 15) lines.push(c.dim(`    ... ${result.tasks.length - 15} more (--json has them all)`));
  }
  return lines.join('\n');
}

function taskRow(t: TaskChange): string {
  const side = (s: TaskChange['a']) => (s ? `${String(s.count).padStart(4)} ${formatMs(s.totalMs).padStart(9)} ${formatMs(s.spanMs).padStart(9)}` : '      -'.padEnd(24)).padEnd(30);
  const sign = t.deltaMs > 0 ? '+' : '';
  const ratio = t.speedup !== null && t.speedup > 0 && Number.isFinite(t.speedup) ? t.speedup : null;
  const speed = ratio !== null && Math.abs(ratio - 1) >= 0.05 ? ` (span ${ratio >= 1 ? `${ratio.toFixed(2)}x faster` : `${(1 / ratio).toFixed(2)}x slower`})` : '';
  const name = t.name.length > 25 ? `${t.name.slice(0, 24)}…` : t.name;
  return `    ${name.padEnd(26)}${side(t.a)}${side(t.b)}${sign}${formatMs(t.deltaMs)}${speed}`;
}

const WIDTH = 48;

/** One bar per child task of the phase (at most 8), on an axis that starts at the phase's start. */
function timeline(label: string, model: TraceModel, stats: PhaseStats, scale: number, c: ReturnType<typeof pc.createColors>): string[] {
  const task = model.taskById[stats.taskId!]!;
  const children = task.children.map((id) => model.taskById[id]!).filter(Boolean);
  const rows = children.length > 0 ? children : [task];
  const onPath = new Set(stats.criticalPathTaskIds);
  const bar = (from: number, to: number) => {
    const s = Math.max(0, Math.min(WIDTH, Math.round(((from - task.startMs) / scale) * WIDTH)));
    const e = Math.max(s + 1, Math.min(WIDTH, Math.round(((to - task.startMs) / scale) * WIDTH)));
    return ' '.repeat(s) + '█'.repeat(e - s) + ' '.repeat(WIDTH - e);
  };
  const out = [`  ${label} ${c.dim('|')}${bar(task.startMs, stats.endMs)}${c.dim('|')} ${title(stats)} ${formatMs(stats.wallMs)}`];
  for (const child of rows.slice(0, 8)) {
    const end = child.endMs ?? model.wallMs;
    const text = `${bar(child.startMs, end)}`;
    out.push(`    ${c.dim('|')}${onPath.has(child.id) ? c.bold(text) : c.dim(text)}${c.dim('|')} ${child.name}#${child.id} ${formatMs(end - child.startMs)}${onPath.has(child.id) ? ' (critical path)' : ''}`);
  }
  if (rows.length > 8) out.push(c.dim(`    ... ${rows.length - 8} more tasks`));
  return out;
}
