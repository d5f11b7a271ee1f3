// The HTTP requests table under the per-handler table: one row per route (its requests from when the
// process read them to their response's end, the part before their handler started, and the upper
// bound from the loop's last idle moment). Read-only; route names and paths are set as text.
import type { ViewRequestRoute } from '../src/view-model/types.js';
import { h } from './dom.js';
import { formatCount, formatDuration } from './format.js';

const COLUMNS: readonly [label: string, title: string, numeric: boolean, cell: (row: ViewRequestRoute) => Node | string][] = [
  ['Route', 'method and route pattern (or the path, its ids collapsed)', false, (row) => h('span', { class: 'fn' }, row.route)],
  ['Requests', 'requests read; unanswered ones in brackets', true, (row) => `${formatCount(row.count)}${row.pending > 0 ? ` (${formatCount(row.pending)} unanswered)` : ''}`],
  ['p50', 'median time from read to response finished', true, (row) => formatDuration(row.p50Ms)],
  ['p90', '90th percentile', true, (row) => formatDuration(row.p90Ms)],
  ['p99', '99th percentile', true, (row) => formatDuration(row.p99Ms)],
  ['Max', 'longest request', true, (row) => formatDuration(row.maxMs)],
  ['Before handler p99', 'from the read to its handler task starting (routing, the loop busy with other requests)', true, (row) => formatDuration(row.beforeHandlerP99Ms)],
  ['Upper p99', 'measured from the loop’s last idle moment before the read: a request that came while the loop was busy waited unseen in the kernel up to that long', true, (row) => formatDuration(row.upperP99Ms)],
  [
    'Handler',
    'the async function most of its requests ran',
    false,
    (row) => (row.handler ? h('span', null, h('span', { class: 'fn' }, row.handler.name || '(anonymous)'), ' ', h('span', { class: 'loc' }, `${row.handler.file}:${row.handler.line}`)) : '–'),
  ],
];

/** The table, or null when the run answered no HTTP request. */
export function requestsTable(rows: readonly ViewRequestRoute[]): HTMLElement | null {
  if (rows.length === 0) return null;
  const head = h('tr');
  for (const [label, title, numeric] of COLUMNS) head.appendChild(h('th', { class: numeric ? 'num' : '', title }, h('span', { class: 'label' }, label)));
  const body = h('tbody');
  for (const row of rows) {
    const tr = h('tr');
    for (const [, , numeric, cell] of COLUMNS) tr.appendChild(h('td', { class: numeric ? 'num' : '' }, cell(row)));
    body.appendChild(tr);
  }
  return h('table', { class: 'handlers-table requests-table', 'aria-label': 'HTTP requests by route' }, h('thead', null, head), body);
}
