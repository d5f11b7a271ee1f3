// The comparison view: two phases (subtrees) of the run side by side, as `async-prof compare`
// prints them: wall time, total work, parallelism, peak concurrency, critical path, speedup; and
// the two subtrees stacked on one time axis that starts at 0 for both, at the same scale, so the
// shorter one visibly ends earlier (compare-gantt.ts). Open while the view state's `compare` is
// set: from the summary ("Compare phases") or a right-click on a task ("Compare as A / B"); Esc or
// the close button goes back to the timeline.
// Everything from the profiled program (names, paths) goes in as text (dom.ts's h()).
import { clear, h } from './dom.js';
import { figuresOf, type Figures } from './compare-figures.js';
import { buildCompareGantt } from './compare-gantt.js';
import { formatCount, formatDuration, formatRatio } from './format.js';
import type { Store } from './store.js';
import type { Trace } from './trace.js';
import type { ViewActions } from './view-actions.js';
import type { ViewState } from './view-state.js';

export class CompareView {
  readonly el: HTMLDivElement;
  private readonly body: HTMLDivElement;
  /** The pair on screen (display indices), while the view is open. */
  private a = -1;
  private b = -1;
  private lastFocus: Element | null = null;

  constructor(
    private readonly store: Store<ViewState>,
    private readonly actions: ViewActions,
  ) {
    this.body = h('div', { class: 'compare-body' });
    const close = h('button', { class: 'compare-close button', type: 'button', title: 'back to the timeline (Esc)', 'data-action': 'close-compare' }, '← Back to the timeline', h('kbd', null, 'Esc'));
    close.addEventListener('click', () => this.actions.closeCompare());
    this.el = h('div', { class: 'compare-view', role: 'dialog', 'aria-modal': 'true', 'aria-label': 'comparison of two phases' }, close, this.body);
    this.el.hidden = true;
    // Before the timeline's keys: Esc closes this view, not the details panel.
    window.addEventListener(
      'keydown',
      (event) => {
        if (this.el.hidden || event.key !== 'Escape') return;
        event.preventDefault();
        event.stopImmediatePropagation();
        this.actions.closeCompare();
      },
      { capture: true },
    );
    store.subscribe(['compare', 'trace'], ({ compare }) => (compare ? this.open(compare.a, compare.b) : this.close()));
  }

  private get trace(): Trace {
    return this.store.state.trace;
  }

  private open(a: number, b: number): void {
    this.a = a;
    this.b = b;
    if (this.el.hidden) this.lastFocus = document.activeElement;
    this.render();
    this.el.hidden = false;
    document.body.dataset.compare = '';
    (this.el.querySelector('.compare-close') as HTMLElement | null)?.focus();
  }

  private close(): void {
    if (this.el.hidden) return;
    this.el.hidden = true;
    delete document.body.dataset.compare;
    if (this.lastFocus instanceof HTMLElement) this.lastFocus.focus();
  }

  private render(): void {
    const trace = this.trace;
    const fa = figuresOf(trace, this.a);
    const fb = figuresOf(trace, this.b);
    const speedup = fb.wallMs > 0 ? fa.wallMs / fb.wallMs : Number.POSITIVE_INFINITY;
    clear(this.body);
    this.el.dataset.a = String(this.a);
    this.el.dataset.b = String(this.b);
    this.el.dataset.speedup = String(Math.round(speedup * 1000) / 1000);

    const nameA = trace.name(this.a);
    const nameB = trace.name(this.b);
    const chip = (side: 'a' | 'b', task: number) =>
      h('span', { class: `compare-chip side-${side}`, 'data-side': side, title: trace.location(task) }, h('span', { class: 'side-letter' }, side.toUpperCase()), h('span', { class: 'compare-name' }, trace.name(task)), h('span', { class: 'compare-loc' }, trace.location(task)));
    const swap = h('button', { class: 'button', type: 'button', title: 'swap A and B', 'data-action': 'swap' }, '⇄ swap');
    swap.addEventListener('click', () => this.actions.openCompare(this.b, this.a));
    const title = h('div', { class: 'compare-title' }, h('h2', null, 'Compare'), chip('a', this.a), h('span', { class: 'vs' }, 'vs'), chip('b', this.b), swap);

    // The verdict, in words, with the speedup big.
    const faster = speedup >= 1;
    const ratio = faster ? speedup : 1 / speedup;
    const verdict = h(
      'div',
      { class: 'compare-verdict' },
      h('div', { class: 'speedup', 'data-stat': 'speedup', 'data-value': String(speedup) }, Number.isFinite(speedup) ? formatRatio(speedup) : '∞'),
      h(
        'div',
        { class: 'verdict-text' },
        h('div', null, h('strong', null, faster ? nameB : nameA), ` (${faster ? 'B' : 'A'}) is ${formatRatio(ratio)} faster`, ` than `, h('strong', null, faster ? nameA : nameB), '.'),
        h('div', { class: 'verdict-sub' }, `${formatDuration(fa.wallMs)} → ${formatDuration(fb.wallMs)}: ${faster ? 'saves' : 'costs'} ${formatDuration(Math.abs(fa.wallMs - fb.wallMs))}. Speedup = wall time of A / wall time of B.`),
      ),
    );

    const showOnTimeline = (task: number) => {
      this.actions.closeCompare();
      this.actions.selectTask(task);
    };
    this.body.append(title, verdict, this.figuresTable(fa, fb), buildCompareGantt(trace, fa, fb, showOnTimeline), this.legend());
  }

  private figuresTable(fa: Figures, fb: Figures): HTMLElement {
    const rows: [key: string, label: string, help: string, value: (f: Figures) => number, show: (v: number, f: Figures) => string][] = [
      ['wall', 'Wall time', 'from its start to its end', (f) => f.wallMs, (v) => formatDuration(v)],
      ['work', 'Total work', 'sum of the durations of its child tasks', (f) => f.workMs, (v, f) => `${formatDuration(v)} in ${formatCount(f.workTasks)} task${f.workTasks === 1 ? '' : 's'}`],
      ['parallelism', 'Parallelism', 'work ÷ wall: tasks in flight on average', (f) => f.parallelism, (v) => formatRatio(v)],
      ['peak', 'Peak concurrency', 'most child tasks in flight at once', (f) => f.maxConcurrency, (v) => formatCount(v)],
      [
        'critical',
        'Critical path',
        'the chain that decided its end: the best it could do with unlimited concurrency',
        (f) => f.criticalPathMs,
        (v, f) => (Number.isNaN(v) ? '–' : `${formatDuration(v)}${f.loopSavingMs > 0 ? ` (~${formatDuration(Math.max(0, v - f.loopSavingMs))} with its loops' awaits together)` : ''}`),
      ],
    ];
    const table = h('table', { class: 'compare-figures' });
    table.append(h('thead', null, h('tr', null, h('th', null, ''), h('th', { class: 'side-a' }, 'A · ', this.trace.name(this.a)), h('th', { class: 'side-b' }, 'B · ', this.trace.name(this.b)))));
    const tbody = h('tbody');
    for (const [key, label, help, value, show] of rows) {
      const va = value(fa);
      const vb = value(fb);
      const cell = (side: 'a' | 'b', v: number, f: Figures) => h('td', { class: `side-${side}`, 'data-stat': key, 'data-side': side, 'data-value': String(v) }, show(v, f));
      tbody.append(h('tr', null, h('th', { scope: 'row' } as never, h('div', null, label), h('div', { class: 'help' }, help)), cell('a', va, fa), cell('b', vb, fb)));
    }
    table.append(tbody);
    return table;
  }

  private legend(): HTMLElement {
    return h(
      'div',
      { class: 'compare-legend' },
      h('span', null, h('i', { class: 'sw run' }), 'running'),
      h('span', null, h('i', { class: 'sw wait' }), 'waiting (awaiting)'),
      h('span', null, h('i', { class: 'sw crit' }), '◆ on the critical path'),
      h('span', null, h('i', { class: 'sw saved' }), 'longer than the other phase'),
      h('span', { class: 'hint' }, 'Both phases start at 0, on the same scale. Click a bar to see it on the timeline; right-click any task on the timeline to compare it as A or B.'),
    );
  }
}
