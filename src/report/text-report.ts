// The summary `run` and `report` print for people.
import pc from 'picocolors';
import { isAwaitChain } from '../analysis/await-chain.js';
import { concurrencyCurve } from '../analysis/concurrency.js';
import type { TraceModel } from '../model/types.js';
import { formatMs, formatPercent } from './format.js';
import { insightsText } from '../analysis/insights.js';
import { sourceReader } from '../analysis/read-source.js';

export function textReport(model: TraceModel, options: { color?: boolean; topTasks?: number } = {}): string {
  const c = pc.createColors(options.color ?? false);
  const lines: string[] = [];
  const status = model.signal ? `killed by ${model.signal}` : `exit ${model.exitCode ?? '?'}`;
  lines.push(`${c.bold('async-prof')} ${model.script}${model.args.length ? ' ' + model.args.join(' ') : ''}  ${c.dim(`(${status}, wall ${formatMs(model.wallMs)})`)}`);
  for (const warning of model.warnings) lines.push(c.yellow(`  warning: ${warning}`));

  const outcomes = { fulfilled: 0, rejected: 0, pending: 0 };
  for (const t of model.tasks) outcomes[t.outcome]++;
  const curve = concurrencyCurve(model.tasks, 0, model.wallMs);
  lines.push(
    `  tasks      ${model.tasks.length}  (peak ${curve.maxTasks} in flight, mean ${curve.meanTasks.toFixed(2)})  ` +
      `fulfilled ${outcomes.fulfilled}, rejected ${outcomes.rejected}, pending ${outcomes.pending}`,
  );
  const lag = model.lagSummary;
  lines.push(
    `  lag        p50 ${formatMs(lag.p50Ms)}  p90 ${formatMs(lag.p90Ms)}  p99 ${formatMs(lag.p99Ms)}  max ${formatMs(lag.maxMs)}` +
      (model.elu !== null ? `   loop busy ${formatPercent(model.elu)}` : ''),
  );
  if (model.samplingIntervalUs === 0) {
    lines.push(`  blocking   ${c.dim('not measured (--sampling-interval 0)')}`);
  } else if (model.blocking.length === 0) {
    lines.push(`  blocking   ${c.green(`none over ${model.blockingThresholdMs} ms`)}`);
  } else {
    lines.push(`  blocking   ${c.red(`${model.blocking.length} stretch${model.blocking.length > 1 ? 'es' : ''} over ${model.blockingThresholdMs} ms`)}`);
    for (const b of model.blocking.slice(0, 10)) {
      const task = b.taskId !== null ? model.taskById[b.taskId] : undefined;
      const inside = b.inside ? ` inside ${b.inside.function} (${b.inside.file === '(native)' ? 'native' : `${b.inside.file}:${b.inside.line}`})` : '';
      const what = isAwaitChain(b)
        ? `${c.bold(`${b.awaitsResumed.toLocaleString('en-US')} awaits resumed back to back`)}, most time in ${b.function} ${b.file}:${b.line}`
        : `${c.bold(b.function)} ${b.file}:${b.line}${inside}`;
      lines.push(
        `    ${c.red(formatMs(b.durationMs).padStart(9))} at ${formatMs(b.startMs)}  ${what}` +
          (task ? c.dim(`  in task ${task.name}#${task.id}`) : '') +
          (b.nodeSetup ? c.dim('  (Node setting itself up: once per process)') : ''),
      );
    }
    if (model.blocking.length > 10) lines.push(`    ... ${model.blocking.length - 10} more`);
  }
  const resourceCounts = new Map<string, number>();
  for (const r of model.resources) resourceCounts.set(r.type, (resourceCounts.get(r.type) ?? 0) + 1);
  if (resourceCounts.size > 0) {
    lines.push(`  resources  ${[...resourceCounts].map(([type, n]) => `${type} ${n}`).join(', ')}`);
  }
  for (const error of model.errors) lines.push(c.red(`  ${error.origin}: ${error.name}: ${error.message}`));
  if (model.dropped > 0) lines.push(c.yellow(`  dropped    ${model.dropped} events (trace size limit)`));

  const top = [...model.tasks].sort((a, b) => duration(b, model.wallMs) - duration(a, model.wallMs)).slice(0, options.topTasks ?? 8);
  if (top.length > 0) {
    lines.push('  longest tasks:');
    for (const t of top) {
      const mark = t.outcome === 'rejected' ? c.red(' rejected') : t.outcome === 'pending' ? c.yellow(' pending') : '';
      lines.push(
        `    ${formatMs(duration(t, model.wallMs)).padStart(9)}  ${c.bold(t.name)} ${c.dim(`${t.file}:${t.line}`)}  run ${formatMs(t.runMs)}, wait ${formatMs(t.waitMs)}${mark}`,
      );
    }
  }
  lines.push(...insightsText(model, c, { source: sourceReader(model) }));
  lines.push(c.dim(`  trace: ${model.tracePath}`));
  return lines.join('\n');
}

function duration(task: { startMs: number; endMs: number | null }, wallMs: number): number {
  return (task.endMs ?? wallMs) - task.startMs;
}
