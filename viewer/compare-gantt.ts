// The comparison view's chart: the two phases' subtrees stacked on one time axis that starts at 0
// for both, at the same scale, so the shorter one visibly ends earlier; runs dark inside each bar,
// the critical path marked, the slower phase's extra time hatched. Text only (dom.ts's h()).
import { SEGMENT_RUN } from '../src/view-model/types.js';
import type { Figures } from './compare-figures.js';
import { h } from './dom.js';
import { formatCount, formatDuration, formatRatio } from './format.js';
import type { Trace } from './trace.js';

/** Lanes drawn per side (the phase, then its descendants, shallowest first). */
const MAX_LANES = 24;
/** Nesting drawn under the phase. */
const MAX_DEPTH = 2;
/** Run segments drawn per lane (beyond it the bar is drawn plain). */
const MAX_SEGMENTS = 400;

/** The two subtrees on one axis from 0 to the longer wall time; a click on a bar shows that task on the timeline. */
export function buildCompareGantt(trace: Trace, fa: Figures, fb: Figures, showTask: (task: number) => void): HTMLElement {
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
    const section = h('section', { class: `cg-side side-${letter}`, 'data-side': letter, 'aria-label': `${letter.toUpperCase()}: ${trace.name(f.task)}` });
    const onPath = new Set(f.criticalPath);
    const lanes = lanesOf(trace, f.task);
    const head = h('div', { class: 'cg-head' }, h('span', { class: 'side-letter' }, letter.toUpperCase()), h('strong', null, trace.name(f.task)), ` ${formatDuration(f.wallMs)} · parallelism ${formatRatio(f.parallelism)} · peak ${formatCount(f.maxConcurrency)}`);
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
      const label = h('div', { class: 'cg-label', title: `${trace.name(task)} · ${trace.location(task)}` }, h('span', { class: 'cg-name' }, trace.name(task)), critical ? h('span', { class: 'cg-crit-tag', title: 'on the critical path' }, '◆') : null);
      label.style.paddingLeft = `${6 + depth * 12}px`;
      const track = h('div', { class: 'cg-track' });
      const bar = h('button', {
        class: `cg-bar${critical ? ' critical' : ''}${trace.outcome(task) === 'rejected' ? ' rejected' : ''}`,
        type: 'button',
        'data-task': task,
        title: `${trace.name(task)}: ${formatDuration(trace.c.taskEnd[task]! - trace.c.taskStart[task]!)}${critical ? ' · on the critical path' : ''} · click to show it on the timeline`,
      });
      const from = trace.c.taskStart[task]! - f.startMs;
      const to = trace.c.taskEnd[task]! - f.startMs;
      bar.style.left = pct(from);
      bar.style.width = `max(2px, ${((to - from) / spanMs) * 100}%)`;
      drawRuns(trace, bar, task, from, to);
      bar.addEventListener('click', () => showTask(task));
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
function drawRuns(trace: Trace, bar: HTMLElement, task: number, from: number, to: number): void {
  const { segStart, segEnd, segKind, taskStart } = trace.c;
  const [lo, hi] = trace.segments(task);
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
function lanesOf(trace: Trace, task: number): { shown: { task: number; depth: number }[]; hidden: number } {
  const { taskSize, taskDepth } = trace.c;
  const base = taskDepth[task]!;
  const all: { task: number; depth: number }[] = [];
  for (let d = task, end = task + taskSize[task]!; d < end; d++) all.push({ task: d, depth: taskDepth[d]! - base });
  const picked = all.filter((l) => l.depth <= MAX_DEPTH).sort((x, y) => x.depth - y.depth || x.task - y.task).slice(0, MAX_LANES);
  picked.sort((x, y) => x.task - y.task);
  return { shown: picked, hidden: all.length - picked.length };
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
