// The comparison view: two phases (subtrees) of the run side by side, as `async-prof compare`
// prints them: wall time, total work, parallelism, peak concurrency, critical path, speedup; and
// the two subtrees stacked on one time axis that starts at 0 for both, at the same scale, so the
// shorter one visibly ends earlier. Opened from the summary ("Compare phases") or a right-click on
// a task ("Compare as A / B"); Esc or the close button goes back to the timeline.
// Everything from the profiled program (names, paths) goes in as text (dom.ts's h()).
import { SEGMENT_RUN } from '../src/view-model/types.js';
import { clear, h } from './dom.js';
import { figuresOf, type Figures } from './compare-figures.js';
import { formatCount, formatDuration, formatRatio } from './format.js';
import type { Store } from './store.js';
import type { Trace } from './trace.js';
import type { ViewActions } from './view-actions.js';
import type { ViewState } from './view-state.js';

/** Lanes drawn per side (the phase, then its descendants, shallowest first). */
const MAX_LANES = 24;
/** Nesting drawn under the phase. */
const MAX_DEPTH = 2;
/** Run segments drawn per lane (beyond it the bar is drawn plain). */
const MAX_SEGMENTS = 400;

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

    this.body.append(title, verdict, this.figuresTable(fa, fb), this.gantt(fa, fb), this.legend());
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

  /** The two subtrees on one axis from 0 to the longer wall time. */
  private gantt(fa: Figures, fb: Figures): HTMLElement {
    const spanMs = Math.max(fa.wallMs, fb.wallMs, 0.001);
    const pct = (ms: number) => `${Math.min(100, Math.max(0, (ms / spanMs) * 100))}%`;
    const ticks = niceTicks(spanMs);
    const grid = () => {
      const g = h('div', { class: 'cg-grid', 'aria-hidden': 'true' });
      for (const t of ticks) {
        const line = h('div', { class: 'cg-gridline' });
        line.style.left = pct(t);
        g.append(line);
      }
      return g;
    };
    const axis = h('div', { class: 'cg-axis' }, h('div', { class: 'cg-label' }, 'time since each phase started'));
    const axisTrack = h('div', { class: 'cg-track' });
    for (const t of ticks) {
      const tick = h('span', { class: 'cg-tick' }, t === 0 ? '0' : formatDuration(t));
      tick.style.left = pct(t);
      axisTrack.append(tick);
    }
    axis.append(axisTrack);

    const side = (letter: 'a' | 'b', f: Figures, other: Figures) => {
      const section = h('section', { class: `cg-side side-${letter}`, 'data-side': letter, 'aria-label': `${letter.toUpperCase()}: ${this.trace.name(f.task)}` });
      const onPath = new Set(f.criticalPath);
      const lanes = this.lanesOf(f.task);
      const head = h('div', { class: 'cg-head' }, h('span', { class: 'side-letter' }, letter.toUpperCase()), h('strong', null, this.trace.name(f.task)), ` ${formatDuration(f.wallMs)} · parallelism ${formatRatio(f.parallelism)} · peak ${formatCount(f.maxConcurrency)}`);
      section.append(head);
      const rows = h('div', { class: 'cg-rows' });
      const track0 = h('div', { class: 'cg-rows-track' }, grid());
      // Where the other phase ended, when it ended earlier: what the faster one saved.
      if (other.wallMs < f.wallMs) {
        const saved = h('div', { class: 'cg-saved', title: `${formatDuration(f.wallMs - other.wallMs)} longer than the other phase` });
        saved.style.left = pct(other.wallMs);
        saved.style.width = `${((f.wallMs - other.wallMs) / spanMs) * 100}%`;
        // The label only where it fits (a sliver of hatching says enough).
        if (f.wallMs - other.wallMs > spanMs * 0.12) saved.append(h('span', null, `+${formatDuration(f.wallMs - other.wallMs)} vs ${letter === 'a' ? 'B' : 'A'}`));
        track0.append(saved);
      }
      rows.append(track0);
      for (const { task, depth } of lanes.shown) {
        const critical = onPath.has(task);
        const label = h('div', { class: 'cg-label', title: `${this.trace.name(task)} · ${this.trace.location(task)}` }, h('span', { class: 'cg-name' }, this.trace.name(task)), critical ? h('span', { class: 'cg-crit-tag', title: 'on the critical path' }, '◆') : null);
        label.style.paddingLeft = `${6 + depth * 12}px`;
        const track = h('div', { class: 'cg-track' });
        const bar = h('button', {
          class: `cg-bar${critical ? ' critical' : ''}${this.trace.outcome(task) === 'rejected' ? ' rejected' : ''}`,
          type: 'button',
          'data-task': task,
          title: `${this.trace.name(task)}: ${formatDuration(this.trace.c.taskEnd[task]! - this.trace.c.taskStart[task]!)}${critical ? ' · on the critical path' : ''} · click to show it on the timeline`,
        });
        const from = this.trace.c.taskStart[task]! - f.startMs;
        const to = this.trace.c.taskEnd[task]! - f.startMs;
        bar.style.left = pct(from);
        bar.style.width = `max(2px, ${((to - from) / spanMs) * 100}%)`;
        this.drawRuns(bar, task, from, to);
        bar.addEventListener('click', () => {
          this.actions.closeCompare();
          this.actions.selectTask(task);
        });
        const dur = h('span', { class: 'cg-dur' }, formatDuration(to - from));
        dur.style.left = `calc(${pct(to)} + 4px)`;
        track.append(bar, dur);
        rows.append(h('div', { class: `cg-row${depth === 0 ? ' root' : ''}`, 'data-task': task }, label, track));
      }
      if (lanes.hidden > 0) rows.append(h('div', { class: 'cg-row more' }, h('div', { class: 'cg-label' }, `… ${formatCount(lanes.hidden)} more task${lanes.hidden === 1 ? '' : 's'}`), h('div', { class: 'cg-track' })));
      section.append(rows);
      return section;
    };
    return h('div', { class: 'compare-gantt' }, axis, side('a', fa, fb), side('b', fb, fa));
  }

  /** Running stretches inside a bar (the rest of it is waiting). */
  private drawRuns(bar: HTMLElement, task: number, from: number, to: number): void {
    const { segStart, segEnd, segKind, taskStart } = this.trace.c;
    const [lo, hi] = this.trace.segments(task);
    const length = to - from;
    if (hi - lo > MAX_SEGMENTS || length <= 0) {
      bar.classList.add('plain');
      return;
    }
    const base = taskStart[task]!;
    for (let s = lo; s < hi; s++) {
      if (segKind[s] !== SEGMENT_RUN) continue;
      const run = h('span', { class: 'cg-run' });
      run.style.left = `${((segStart[s]! - base) / length) * 100}%`;
      run.style.width = `max(1px, ${((segEnd[s]! - segStart[s]!) / length) * 100}%)`;
      bar.append(run);
    }
  }

  /** The phase and its descendants down to MAX_DEPTH, shallowest first, then in display order. */
  private lanesOf(task: number): { shown: { task: number; depth: number }[]; hidden: number } {
    const { taskSize, taskDepth } = this.trace.c;
    const base = taskDepth[task]!;
    const all: { task: number; depth: number }[] = [];
    for (let d = task, end = task + taskSize[task]!; d < end; d++) all.push({ task: d, depth: taskDepth[d]! - base });
    const picked = all.filter((l) => l.depth <= MAX_DEPTH).sort((x, y) => x.depth - y.depth || x.task - y.task).slice(0, MAX_LANES);
    picked.sort((x, y) => x.task - y.task);
    return { shown: picked, hidden: all.length - picked.length };
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

/** About six round tick values from 0 to span. */
export function niceTicks(spanMs: number): number[] {
  const raw = spanMs / 6;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = 0; t <= spanMs + step * 1e-9; t += step) out.push(Math.round(t * 1e6) / 1e6);
  return out;
}
