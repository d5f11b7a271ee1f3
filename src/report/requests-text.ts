// The text report's table of HTTP requests by route: each request from when the process read it to
// when its response finished; the p99 counted from the loop's last idle moment before each read
// (a request that came while the loop was busy waited unseen up to then); and how much came before
// its handler's task started, so that a slow route reads as "the handler" or "the loop". The
// report JSON has every row (`requests`).
import type { RequestRouteStats } from '../analysis/request-stats.js';
import { formatMs } from './format.js';
import type { Colors } from './insights-text.js';

/** Rows shown in the text report (the JSON has them all). */
export const TEXT_REQUEST_ROWS = 8;

export function requestsText(requests: readonly RequestRouteStats[], c: Colors, rows = TEXT_REQUEST_ROWS): string[] {
  if (requests.length === 0) return [];
  const shown = requests.slice(0, rows);
  const lines = [
    `  HTTP requests, read to response finished (most time first${requests.length > shown.length ? `; ${requests.length - shown.length} more in report --json` : ''}):`,
  ];
  // "up to": the p99 measured from the loop's last idle moment before each read, what a client may have seen.
  lines.push(c.dim(`    ${'requests'.padStart(8)} ${'p50'.padStart(9)} ${'p90'.padStart(9)} ${'p99'.padStart(9)} ${'max'.padStart(9)} ${'p99 up to'.padStart(9)} ${'before handler p99'.padStart(18)}  route`));
  for (const r of shown) {
    const handler = r.handler ? c.dim(`  ${r.handler.name} ${r.handler.file}:${r.handler.line}`) : '';
    const pending = r.pending > 0 ? c.yellow(` (${r.pending} unanswered)`) : '';
    lines.push(
      `    ${r.count.toLocaleString('en-US').padStart(8)} ${formatMs(r.p50Ms).padStart(9)} ${formatMs(r.p90Ms).padStart(9)} ${formatMs(r.p99Ms).padStart(9)} ${formatMs(r.maxMs).padStart(9)} ${formatMs(r.upperP99Ms).padStart(9)} ${formatMs(r.beforeHandlerP99Ms).padStart(18)}  ` +
        `${c.bold(r.route)}${pending}${handler}`,
    );
  }
  return lines;
}
