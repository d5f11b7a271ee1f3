// The summary `run` and `report` print for people.
import pc from 'picocolors';
import { isAwaitChain } from '../analysis/await-chain.js';
import type { LagFigures } from '../analysis/lag.js';
import { analysisOf } from '../analysis/pipeline.js';
import { taskDuration } from '../analysis/waits.js';
import { sourceReader } from '../model/source-reader.js';
import { OUTCOME_FULFILLED, OUTCOME_REJECTED, type TraceModel } from '../model/types.js';
import { formatMs, formatPercent } from './format.js';
import { handlersText } from './handlers-text.js';
import { requestsText } from './requests-text.js';
import { insightsText } from './insights-text.js';
import { processSummaries, threadSummaries, type AnswerSummary } from './thread-summary.js';

export function textReport(model: TraceModel, options: { color?: boolean; topTasks?: number } = {}): string {
  const analysis = analysisOf(model, { source: sourceReader(model) });
  const c = pc.createColors(options.color ?? false);
  const T = model.columns.tasks;
  const R = model.columns.resources;
  const F = model.functions;
  const lines: string[] = [];
  const status = model.signal ? `killed by ${model.signal}` : `exit ${model.exitCode ?? '?'}`;
  lines.push(`${c.bold('async-prof')} ${model.script}${model.args.length ? ' ' + model.args.join(' ') : ''}  ${c.dim(`(${status}, wall ${formatMs(model.wallMs)})`)}`);
  for (const warning of model.warnings) lines.push(c.yellow(`  warning: ${warning}`));

  const outcomes = { fulfilled: 0, rejected: 0, pending: 0 };
  for (let t = 0; t < T.count; t++) {
    const o = T.outcome[t];
    if (o === OUTCOME_FULFILLED) outcomes.fulfilled++;
    else if (o === OUTCOME_REJECTED) outcomes.rejected++;
    else outcomes.pending++;
  }
  const curve = analysis.concurrency;
  lines.push(
    `  tasks      ${T.count}  (peak ${curve.maxTasks} in flight, mean ${curve.meanTasks.toFixed(2)})  ` +
      `fulfilled ${outcomes.fulfilled}, rejected ${outcomes.rejected}, pending ${outcomes.pending}`,
  );
  const lag = analysis.lag.summary;
  lines.push(
    `  lag        p50 ${formatMs(lag.p50Ms)}  p90 ${formatMs(lag.p90Ms)}  p99 ${formatMs(lag.p99Ms)}  max ${formatMs(lag.maxMs)}` +
      (analysis.elu !== null ? `   loop busy ${formatPercent(analysis.elu)}` : '') +
      lagLeftOut(analysis.lag, c),
  );
  const blocking = analysis.blocking;
  const threshold = analysis.blockingThresholdMs;
  if (model.samplingIntervalUs === 0) {
    lines.push(`  blocking   ${c.dim('not measured (--sampling-interval 0)')}`);
  } else if (blocking.length === 0) {
    lines.push(`  blocking   ${c.green(`none over ${threshold} ms`)}`);
  } else {
    lines.push(`  blocking   ${c.red(`${blocking.length} stretch${blocking.length > 1 ? 'es' : ''} over ${threshold} ms`)}`);
    for (const b of blocking.slice(0, 10)) {
      const t = b.taskId !== null ? T.indexOfId(b.taskId) : -1;
      const inside = b.inside ? ` inside ${b.inside.function} (${b.inside.file === '(native)' ? 'native' : `${b.inside.file}:${b.inside.line}`})` : '';
      const what = isAwaitChain(b)
        ? `${c.bold(`${b.awaitsResumed.toLocaleString('en-US')} awaits resumed back to back`)}, most time in ${b.function} ${b.file}:${b.line}`
        : `${c.bold(b.function)} ${b.file}:${b.line}${inside}`;
      lines.push(
        `    ${c.red(formatMs(b.durationMs).padStart(9))} at ${formatMs(b.startMs)}  ${what}` +
          (t >= 0 ? c.dim(`  in task ${F.name[T.fn[t]!]}#${b.taskId}`) : '') +
          (b.nodeSetup ? c.dim('  (Node setting itself up: once per process)') : '') +
          (b.cpuWaitMs >= 1 ? c.dim(`  (${formatMs(b.cpuWaitMs)} of it waiting for a CPU)`) : ''),
      );
    }
    if (blocking.length > 10) lines.push(`    ... ${blocking.length - 10} more`);
  }
  if (model.threads.length > 0) lines.push(...threadLines(model, c));
  if (model.processes.length > 0) lines.push(...processLines(model, c));
  const resourceCounts = new Map<string, number>();
  for (let r = 0; r < R.count; r++) resourceCounts.set(R.typeName(r), (resourceCounts.get(R.typeName(r)) ?? 0) + 1);
  if (resourceCounts.size > 0) {
    lines.push(`  resources  ${[...resourceCounts].map(([type, n]) => `${type} ${n}`).join(', ')}`);
  }
  for (const error of model.errors) lines.push(c.red(`  ${error.origin}: ${error.name}: ${error.message}`));
  if (model.dropped > 0) lines.push(c.yellow(`  dropped    ${model.dropped} events (trace size limit)`));

  const top = longestTasks(model, options.topTasks ?? 8);
  if (top.length > 0) {
    lines.push('  longest tasks:');
    for (const t of top) {
      const o = T.outcome[t];
      const mark = o === OUTCOME_REJECTED ? c.red(' rejected') : o !== OUTCOME_FULFILLED ? c.yellow(' pending') : '';
      lines.push(
        `    ${formatMs(taskDuration(model, t)).padStart(9)}  ${c.bold(F.name[T.fn[t]!]!)} ${c.dim(`${F.file[T.fn[t]!]}:${F.line[T.fn[t]!]}`)}  run ${formatMs(T.runMs[t]!)}, wait ${formatMs(T.waitMs[t]!)}${mark}`,
      );
    }
  }
  lines.push(...handlersText(analysis.handlers, c));
  lines.push(...requestsText(analysis.requests, c));
  lines.push(...insightsText(model, analysis, c));
  lines.push(c.dim(`  trace: ${model.tracePath}`));
  return lines.join('\n');
}

/** The `count` longest tasks, longest first (ties: in task order), without sorting them all. */
function longestTasks(model: TraceModel, count: number): number[] {
  const top: number[] = [];
  const durations: number[] = [];
  for (let t = 0; t < model.columns.tasks.count; t++) {
    const d = taskDuration(model, t);
    if (top.length === count && !(d > durations[count - 1]!)) continue;
    // After every task at least as long: an earlier task keeps its place among equals.
    let i = top.length;
    while (i > 0 && durations[i - 1]! < d) i--;
    top.splice(i, 0, t);
    durations.splice(i, 0, d);
    if (top.length > count) {
      top.pop();
      durations.pop();
    }
  }
  return top;
}

/** What the lag figures leave out (the time waiting for a CPU, Node's own set-up), and the wall clock's figures. */
function lagLeftOut(lag: LagFigures, c: ReturnType<typeof pc.createColors>): string {
  const parts: string[] = [];
  const samples = lag.values.length;
  const { waitingForCpu: waiting, nodeSetup } = lag;
  if (waiting && waiting.excludedMs > 0) parts.push(`${formatMs(waiting.excludedMs)} waiting for a CPU, in ${waiting.samples} of ${samples} samples`);
  if (nodeSetup.excludedMs > 0) parts.push(`${formatMs(nodeSetup.excludedMs)} of Node setting itself up, in ${nodeSetup.samples} of ${samples} samples`);
  if (parts.length === 0 || !lag.wallClock) return '';
  return c.dim(`   (not counted: ${parts.join('; ')}; by the wall clock p99 ${formatMs(lag.wallClock.p99Ms)}, max ${formatMs(lag.wallClock.maxMs)})`);
}

/** One line per thread (main first), and each worker's blocking stretches under it. */
function threadLines(model: TraceModel, c: ReturnType<typeof pc.createColors>): string[] {
  const lines = [`  threads    main and ${model.threads.length} worker thread${model.threads.length > 1 ? 's' : ''}`];
  const summaries = threadSummaries(model);
  const width = Math.max(...summaries.map((s) => s.name.length));
  for (const s of summaries) {
    const blocking = model.samplingIntervalUs === 0 ? c.dim('blocking not measured') : s.blocking.length === 0 ? c.green('no blocking') : c.red(`blocking ${s.blocking.length} × ${formatMs(s.blockingMs)}`);
    lines.push(
      `    ${s.name.padEnd(width)}  tasks ${String(s.tasks).padStart(5)}  lag p50 ${formatMs(s.lag.p50Ms)} p99 ${formatMs(s.lag.p99Ms)} max ${formatMs(s.lag.maxMs)}` +
        (s.elu !== null ? `  busy ${formatPercent(s.elu)}` : '') +
        `  ${blocking}`,
    );
    // The main thread's stretches are listed above, under "blocking".
    if (s.threadId === 0) continue;
    if (s.answers) lines.push(`      ${answersLine(s.answers)}`);
    for (const b of s.blocking.slice(0, 3)) lines.push(`      ${c.red(formatMs(b.durationMs).padStart(9))} at ${formatMs(b.startMs)}  ${c.bold(b.function)} ${b.file}:${b.line}`);
    if (s.blocking.length > 3) lines.push(`      ... ${s.blocking.length - 3} more`);
  }
  return lines;
}

/** One line per child process: its command and how it ended, and a Node child's main thread's figures. */
function processLines(model: TraceModel, c: ReturnType<typeof pc.createColors>): string[] {
  const others = model.processes.filter((p) => p.notNode).length;
  const node = model.processes.length - others;
  const counts = [node > 0 ? `${node} Node child process${node > 1 ? 'es' : ''}` : '', others > 0 ? `${others} other program${others > 1 ? 's' : ''}` : ''];
  const lines = [`  processes  ${counts.filter(Boolean).join(', ')}`];
  for (const p of processSummaries(model)) {
    const main = p.threads[0]!;
    const command = `${p.script}${p.args.length ? ' ' + p.args.join(' ') : ''}`;
    const ended = p.signal !== undefined ? `killed by ${p.signal}` : `exit ${p.exitCode ?? '?'}`;
    if (p.notNode) {
      lines.push(`    pid ${p.pid}  ${command}  ${c.dim(ended)}  ran ${formatMs(p.notNode.endMs - p.notNode.startMs)} from ${formatMs(p.notNode.startMs)}  (not Node: not profiled)`);
      continue;
    }
    const blocking = main.blocking.length === 0 ? c.green('no blocking') : c.red(`blocking ${main.blocking.length} × ${formatMs(main.blockingMs)}`);
    lines.push(
      `    pid ${p.pid}  ${command}  ${c.dim(ended)}  tasks ${main.tasks}  lag p99 ${formatMs(main.lag.p99Ms)}` +
        (main.elu !== null ? `  busy ${formatPercent(main.elu)}` : '') +
        `  ${blocking}` +
        (p.threads.length > 1 ? `  ${p.threads.length - 1} worker thread${p.threads.length > 2 ? 's' : ''}` : ''),
    );
    if (p.answers) lines.push(`      ${answersLine(p.answers)}`);
  }
  return lines;
}

/** "main waited 201 ms for its answers (1 of 2 messages answered, longest 201 ms)". */
function answersLine(a: AnswerSummary): string {
  const who = a.askedBy === 0 ? 'main' : `worker ${a.askedBy}`;
  return `${who} waited ${formatMs(a.waitMs)} for its answers (${a.answered} of ${a.questions} message${a.questions === 1 ? '' : 's'} answered, longest ${formatMs(a.longestMs)})`;
}
