// The per-handler table: one row per function (its calls' count, duration percentiles, running
// share, the await it waited at most, the blocking it caused), sortable by any column; clicking a
// row marks that function's calls on the timeline. Reads the view state (trace, handlersOpen,
// handlerSort, highlight) and writes it only through the actions. Names and paths are set as text.
import type { ViewHandler } from '../src/view-model/types.js';
import { h, setText } from './dom.js';
import { formatCount, formatDuration, formatPercent } from './format.js';
import { requestsTable } from './requests-table.js';
import type { Store } from './store.js';
import type { Trace } from './trace.js';
import type { ViewActions } from './view-actions.js';
import type { HandlerColumn, HandlerSort, ViewState } from './view-state.js';

interface Column {
  key: HandlerColumn;
  label: string;
  title: string;
  numeric: boolean;
  cell(row: ViewHandler, trace: Trace): Node | string;
}

const ms = (v: number) => formatDuration(v);

const COLUMNS: readonly Column[] = [
  {
    key: 'name',
    label: 'Function',
    title: 'the async function, at its file:line',
    numeric: false,
    cell: (row) => h('span', null, h('span', { class: 'fn' }, row.name || '(anonymous)'), ' ', h('span', { class: 'loc' }, `${row.file}:${row.line}`)),
  },
  { key: 'count', label: 'Calls', title: 'calls (tasks) of it; pending ones in brackets', numeric: true, cell: (row) => `${formatCount(row.count)}${row.pending > 0 ? ` (${formatCount(row.pending)} pending)` : ''}` },
  { key: 'p50Ms', label: 'p50', title: 'median duration of its ended calls', numeric: true, cell: (row) => ms(row.p50Ms) },
  { key: 'p90Ms', label: 'p90', title: '90th percentile duration', numeric: true, cell: (row) => ms(row.p90Ms) },
  { key: 'p99Ms', label: 'p99', title: '99th percentile duration', numeric: true, cell: (row) => ms(row.p99Ms) },
  { key: 'maxMs', label: 'Max', title: 'longest call', numeric: true, cell: (row) => ms(row.maxMs) },
  { key: 'totalMs', label: 'Total', title: 'all its calls together', numeric: true, cell: (row) => ms(row.totalMs) },
  { key: 'runShare', label: 'Running', title: 'share of its calls’ time running on the loop (the rest: waiting at awaits)', numeric: true, cell: (row) => formatPercent(row.runShare) },
  {
    key: 'topAwait',
    label: 'Waits most at',
    title: 'the await its calls waited at longest, and that time in all',
    numeric: false,
    cell: (row, trace) => {
      if (!row.topAwait) return '–';
      const text = trace.source(trace.strings.indexOf(row.file), row.topAwait.line);
      const el = h('span', { title: text?.trim() ?? '' }, h('span', { class: 'loc' }, `:${row.topAwait.line}`), ` ${ms(row.topAwait.waitMs)}`);
      return el;
    },
  },
  {
    key: 'blockingMs',
    label: 'Blocking',
    title: 'blocking stretches while one of its calls was on the CPU',
    numeric: true,
    cell: (row) => (row.blockingCount > 0 ? `${ms(row.blockingMs)} in ${formatCount(row.blockingCount)}` : '–'),
  },
];

/** The value a column sorts by. */
function sortValue(row: ViewHandler, key: HandlerColumn): number | string {
  if (key === 'name') return `${row.name}\0${row.file}\0${String(row.line).padStart(8, '0')}`;
  if (key === 'topAwait') return row.topAwait?.waitMs ?? -1;
  return row[key];
}

/** Row indices (into the header's handlers) in the table's order; ties keep the data's order. */
export function sortedHandlers(rows: readonly ViewHandler[], sort: HandlerSort): number[] {
  const order = rows.map((_, k) => k);
  const sign = sort.descending ? -1 : 1;
  order.sort((a, b) => {
    const x = sortValue(rows[a]!, sort.column);
    const y = sortValue(rows[b]!, sort.column);
    return (x < y ? -1 : x > y ? 1 : 0) * sign || a - b;
  });
  return order;
}

export class HandlersPanel {
  readonly el: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly note: HTMLElement;
  private readonly head: HTMLTableRowElement;
  private readonly body: HTMLTableSectionElement;
  /** The HTTP requests table (requests-table.ts), under the handlers'. */
  private readonly requests: HTMLElement;
  private shown: { trace: Trace; sort: HandlerSort } | null = null;

  constructor(
    private readonly store: Store<ViewState>,
    private readonly actions: ViewActions,
  ) {
    this.summary = h('summary', { class: 'handlers-summary' });
    this.note = h('span', { class: 'handlers-note', 'aria-live': 'polite' });
    this.head = h('tr');
    for (const column of COLUMNS) {
      const button = h('button', { type: 'button', class: 'sort', title: `${column.title} (click to sort)`, 'data-column': column.key }, column.label);
      button.addEventListener('click', () => actions.sortHandlers(column.key));
      this.head.appendChild(h('th', { class: column.numeric ? 'num' : '', 'data-column': column.key }, button));
    }
    this.body = h('tbody');
    const table = h('table', { class: 'handlers-table', 'aria-label': 'per-handler statistics' }, h('thead', null, this.head), this.body);
    this.requests = h('div', { class: 'handlers-scroll requests-scroll' });
    const details = h('details', { class: 'handlers' }, this.summary, h('div', { class: 'handlers-bar' }, this.note), h('div', { class: 'handlers-scroll' }, table), this.requests);
    details.addEventListener('toggle', () => {
      if (details.open !== this.store.state.handlersOpen) actions.setHandlersOpen(details.open);
    });
    // A click anywhere in a row (or Enter on it) marks its calls.
    this.body.addEventListener('click', (event) => {
      const tr = (event.target as Element).closest('tr');
      if (tr?.dataset.handler !== undefined) actions.highlightHandler(Number(tr.dataset.handler));
    });
    this.body.addEventListener('keydown', (event) => {
      const tr = (event.target as Element).closest('tr');
      if (event.key === 'Enter' && tr?.dataset.handler !== undefined) actions.highlightHandler(Number(tr.dataset.handler));
    });
    this.el = details;
    store.subscribe(['trace', 'handlersOpen', 'handlerSort', 'highlight'], (state) => this.show(state));
    this.show(store.state);
  }

  private show(state: Readonly<ViewState>): void {
    const details = this.el as HTMLDetailsElement;
    const rows = state.trace.header.handlers ?? [];
    this.el.hidden = rows.length === 0;
    if (details.open !== state.handlersOpen) details.open = state.handlersOpen;
    let calls = 0;
    for (const row of rows) calls += row.count;
    setText(this.summary, `Handlers: ${formatCount(rows.length)} function${rows.length === 1 ? '' : 's'}, ${formatCount(calls)} call${calls === 1 ? '' : 's'}`);
    if (this.shown?.trace !== state.trace) {
      const requests = requestsTable(state.trace.header.requests ?? []);
      this.requests.hidden = requests === null;
      this.requests.replaceChildren(...(requests ? [requests] : []));
    }
    if (this.shown?.trace !== state.trace || this.shown.sort !== state.handlerSort) {
      this.shown = { trace: state.trace, sort: state.handlerSort };
      this.fill(state.trace, rows, state.handlerSort);
    }
    const lit = state.highlight;
    for (const tr of this.body.children as HTMLCollectionOf<HTMLTableRowElement>) {
      const on = lit !== null && Number(tr.dataset.handler) === lit.handler;
      tr.classList.toggle('highlighted', on);
      tr.setAttribute('aria-selected', String(on));
    }
    const row = lit ? rows[lit.handler] : undefined;
    setText(
      this.note,
      row && lit
        ? `${formatCount(lit.count)} call${lit.count === 1 ? '' : 's'} of ${row.name || '(anonymous)'} marked on the timeline · click the row again to clear`
        : 'Click a row to mark its calls on the timeline; click a column to sort.',
    );
  }

  private fill(trace: Trace, rows: readonly ViewHandler[], sort: HandlerSort): void {
    for (const th of this.head.children as HTMLCollectionOf<HTMLElement>) {
      const sorted = th.dataset.column === sort.column;
      th.setAttribute('aria-sort', sorted ? (sort.descending ? 'descending' : 'ascending') : 'none');
      th.classList.toggle('sorted', sorted);
    }
    const fragment = document.createDocumentFragment();
    for (const k of sortedHandlers(rows, sort)) {
      const row = rows[k]!;
      const tr = h('tr', { 'data-handler': k, role: 'row' });
      tr.tabIndex = 0;
      for (const column of COLUMNS) tr.appendChild(h('td', { class: column.numeric ? 'num' : '', 'data-column': column.key }, column.cell(row, trace)));
      fragment.appendChild(tr);
    }
    this.body.replaceChildren(fragment);
  }
}
