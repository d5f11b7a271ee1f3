// The text report's per-handler table: the functions with the most time in all, one line each,
// so that a run of thousands of calls of the same handlers reads as a few rows. The report JSON
// has every row (`handlers`).
import type { HandlerStats } from '../analysis/handler-stats.js';
import { formatMs, formatPercent } from './format.js';
import type { Colors } from './insights-text.js';

/** Rows shown in the text report (the JSON has them all). */
export const TEXT_HANDLER_ROWS = 8;

/** Nothing when no function was called more than once (every task is its own row: the longest-tasks list says it). */
export function handlersText(handlers: readonly HandlerStats[], c: Colors, rows = TEXT_HANDLER_ROWS): string[] {
  if (!handlers.some((h) => h.count > 1)) return [];
  const shown = handlers.slice(0, rows);
  const lines = [`  handlers (most time first${handlers.length > shown.length ? `; ${handlers.length - shown.length} more in report --json` : ''}):`];
  lines.push(c.dim(`    ${'calls'.padStart(7)} ${'p50'.padStart(9)} ${'p90'.padStart(9)} ${'p99'.padStart(9)} ${'max'.padStart(9)} ${'running'.padStart(7)}  function`));
  for (const h of shown) {
    const waited = h.topAwait ? `, waits most at :${h.topAwait.line} (${formatMs(h.topAwait.waitMs)} in all)` : '';
    const blocked = h.blockingCount > 0 ? c.yellow(`, blocked the loop ${formatMs(h.blockingMs)} in ${h.blockingCount}`) : '';
    const pending = h.pending > 0 ? c.yellow(` (${h.pending} pending)`) : '';
    lines.push(
      `    ${h.count.toLocaleString('en-US').padStart(7)} ${formatMs(h.p50Ms).padStart(9)} ${formatMs(h.p90Ms).padStart(9)} ${formatMs(h.p99Ms).padStart(9)} ${formatMs(h.maxMs).padStart(9)} ${formatPercent(h.runShare).padStart(7)}  ` +
        `${c.bold(h.name)} ${c.dim(`${h.file}:${h.line}`)}${pending}${c.dim(waited)}${blocked}`,
    );
  }
  return lines;
}
