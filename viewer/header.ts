// The summary header: what ran, how long, how concurrent, how late the loop was, how busy, and
// the blocking stretches (each a button that zooms the timeline to it).
import { append, h } from './dom.js';
import { formatCount, formatDuration, formatInstant, formatPercent } from './format.js';
import type { Trace } from './trace.js';

/** Shown at first (longest first); the rest behind a "show all" button. */
const FIRST_BLOCKING_ENTRIES = 4;
const MAX_BLOCKING_ENTRIES = 200;

/** `running`: a live run still going (no exit code yet, and its trace is not complete by nature). */
export function buildHeader(trace: Trace, onBlocking: (k: number) => void, running = false): HTMLElement {
  const { meta, summary, blocking, errors } = trace.header;
  const card = (label: string, value: string, sub: string | null, extra: Record<string, string> = {}) =>
    h('div', { class: 'card', ...extra }, h('div', { class: 'card-label' }, label), h('div', { class: 'card-value' }, value), sub ? h('div', { class: 'card-sub' }, sub) : null);

  const exit = running ? 'running' : meta.signal ? `killed by ${meta.signal}` : meta.exitCode === null ? 'no exit code' : `exit ${meta.exitCode}`;
  const recorded = new Date(meta.startEpochMs);
  const title = h(
    'div',
    { class: 'title-row' },
    h('span', { class: 'brand' }, 'async-prof'),
    h('h1', { class: 'script', title: meta.script }, meta.script),
    meta.args.length > 0 ? h('span', { class: 'args', title: meta.args.join(' ') }, meta.args.join(' ')) : null,
    h('span', { class: `exit ${running || (meta.exitCode === 0 && !meta.signal) ? 'ok' : 'bad'}` }, exit),
    h('span', { class: 'meta' }, `${meta.node} · ${meta.platform} · ${Number.isNaN(recorded.getTime()) ? '' : recorded.toLocaleString()} · ${meta.traceFile}`),
  );

  const lag = summary.lag;
  const cards = h(
    'div',
    { class: 'cards' },
    card('Wall time', formatDuration(meta.wallMs), running ? 'so far' : meta.complete ? null : 'trace incomplete', { 'data-stat': 'wall' }),
    card('Tasks', formatCount(summary.tasks), `${formatCount(summary.rejected)} rejected · ${formatCount(summary.pending)} pending`, { 'data-stat': 'tasks' }),
    card('Peak concurrency', `${formatCount(summary.peakConcurrency)} in flight`, `mean ${summary.meanConcurrency.toFixed(1)}`, { 'data-stat': 'peak' }),
    card('Event-loop lag', `p99 ${formatDuration(lag.p99Ms)}`, `p50 ${formatDuration(lag.p50Ms)} · max ${formatDuration(lag.maxMs)}`, { 'data-stat': 'lag' }),
    card(
      'Loop utilization',
      summary.elu === null ? '–' : formatPercent(summary.elu),
      `task code ran ${formatDuration(summary.loopBusyMs)}`,
      { 'data-stat': 'elu' },
    ),
    meta.blockingMeasured
      ? card(
          'Blocking',
          summary.blocking === 0 ? 'none' : `${formatCount(summary.blocking)} stretch${summary.blocking === 1 ? '' : 'es'}`,
          summary.blocking === 0 ? `nothing held the loop ≥ ${formatDuration(meta.blockingThresholdMs)}` : `${formatDuration(summary.blockingMs)} in all (≥ ${formatDuration(meta.blockingThresholdMs)} each)`,
          { 'data-stat': 'blocking', class: summary.blocking > 0 ? 'card warn' : 'card' },
        )
      : card('Blocking', 'not measured', 'the sampling profiler was off', { 'data-stat': 'blocking' }),
  );

  const header = h('header', { class: 'summary' }, title, cards);
  if (blocking.length > 0) {
    const order = blocking.map((_, k) => k).sort((a, b) => blocking[b]!.durationMs - blocking[a]!.durationMs);
    const list = h('div', { class: 'blocking-list', role: 'list', 'aria-label': 'blocking stretches' }, h('span', { class: 'list-label' }, 'Blocked the loop:'));
    const entries: HTMLElement[] = [];
    for (const k of order.slice(0, MAX_BLOCKING_ENTRIES)) {
      const b = blocking[k]!;
      const button = h(
        'button',
        { class: 'blocking-entry', type: 'button', role: 'listitem', 'data-blocking': k, title: 'zoom the timeline to this stretch' },
        h('span', { class: 'warn-mark' }, '⚠'),
        h('strong', null, formatDuration(b.durationMs)),
        ' ',
        h('span', { class: 'fn' }, b.function || '(anonymous)'),
        ' ',
        h('span', { class: 'loc' }, `${b.file}:${b.line}`),
        b.awaitChain ? h('span', { class: 'at' }, ` · ${formatCount(b.awaitsResumed)} awaits back to back`) : null,
        h('span', { class: 'at' }, ` at ${formatInstant(b.startMs)}`),
      );
      button.addEventListener('click', () => onBlocking(k));
      button.hidden = entries.length >= FIRST_BLOCKING_ENTRIES;
      entries.push(button);
      list.appendChild(button);
    }
    if (entries.length > FIRST_BLOCKING_ENTRIES) {
      const more = h('button', { class: 'button more-blocking', type: 'button' }, `show all ${formatCount(order.length)}`);
      more.addEventListener('click', () => {
        const expand = more.dataset.expanded !== 'true';
        more.dataset.expanded = String(expand);
        entries.forEach((e, i) => (e.hidden = !expand && i >= FIRST_BLOCKING_ENTRIES));
        more.textContent = expand ? 'show fewer' : `show all ${formatCount(order.length)}`;
      });
      list.appendChild(more);
    }
    if (order.length > MAX_BLOCKING_ENTRIES) list.appendChild(h('span', { class: 'more' }, `… and ${formatCount(order.length - MAX_BLOCKING_ENTRIES)} shorter`));
    header.appendChild(list);
  }
  const notes: string[] = [...meta.warnings];
  if (meta.dropped > 0) notes.push(`${formatCount(meta.dropped)} events were dropped while recording`);
  for (const e of errors.slice(0, 5)) notes.push(`${e.origin}: ${e.name}: ${e.message}`);
  if (errors.length > 5) notes.push(`… and ${errors.length - 5} more errors`);
  if (notes.length > 0) {
    const list = h('ul', { class: 'notes' });
    for (const note of notes) append(list, h('li', null, note));
    header.appendChild(list);
  }
  return header;
}
