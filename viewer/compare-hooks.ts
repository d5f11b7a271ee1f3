// What leads to the comparison view, and the rest of the analysis section in the page:
// - the analysis bar under the summary cards: "Compare phases" (the two longest phases of the
//   run, e.g. sequentialDownload vs parallelDownload), the run's critical path, the hints;
// - the right-click menu on a task (lane label or bar): "Compare as A" / "Compare as B".
// Text only: names, paths and messages come from the profiled program.
import { h } from './dom.js';
import { analysisOf, suggestedPair } from './compare-figures.js';
import { formatDuration } from './format.js';
import type { Trace } from './trace.js';

export interface AnalysisBarActions {
  compare(a: number, b: number): void;
  select(task: number): void;
}

export function buildAnalysisBar(trace: Trace, actions: AnalysisBarActions): HTMLElement | null {
  const analysis = analysisOf(trace);
  if (!analysis) return null;
  const bar = h('div', { class: 'analysis-bar' });
  const pair = suggestedPair(trace);
  if (pair) {
    const button = h(
      'button',
      { class: 'button compare-phases', type: 'button', 'data-action': 'compare-phases', title: 'the two longest phases of the run, side by side on one time axis' },
      '⇆ Compare phases: ',
      h('strong', null, trace.name(pair[0])),
      ' vs ',
      h('strong', null, trace.name(pair[1])),
    );
    button.addEventListener('click', () => actions.compare(pair[0], pair[1]));
    bar.append(button);
  }
  if (analysis.criticalPath.length > 0) {
    const names: string[] = [];
    for (const t of analysis.criticalPath) if (names[names.length - 1] !== trace.name(t)) names.push(trace.name(t));
    const path = h(
      'span',
      { class: 'critical-run', title: `the chain of awaited tasks that decided when the run ended: ${names.join(' → ')}` },
      h('span', { class: 'list-label' }, 'Critical path'),
      ` ${formatDuration(analysis.criticalPathMs)}: `,
      names.slice(0, 6).join(' → ') + (names.length > 6 ? ' → …' : ''),
    );
    bar.append(path);
  }
  if (analysis.hints.length > 0) {
    const list = h('ol', { class: 'hint-list', 'aria-label': 'hints' });
    list.hidden = true;
    for (const hint of analysis.hints) {
      const item = h(
        'li',
        { class: 'hint', 'data-kind': hint.kind },
        h('span', { class: 'hint-name' }, hint.name),
        ' ',
        h('span', { class: 'loc' }, `${hint.file}:${hint.line}`),
        hint.savingMs !== undefined ? h('span', { class: 'saving' }, ` saves ~${formatDuration(hint.savingMs)}`) : null,
        h('div', { class: 'hint-message' }, hint.message),
      );
      if (hint.task >= 0) {
        const show = h('button', { class: 'link', type: 'button', title: 'show the task on the timeline' }, 'show');
        show.addEventListener('click', () => actions.select(hint.task));
        item.insertBefore(show, item.querySelector('.hint-message'));
      }
      list.append(item);
    }
    const toggle = h('button', { class: 'button hints-toggle', type: 'button', 'data-action': 'hints', 'aria-expanded': 'false' }, `${analysis.hints.length} hint${analysis.hints.length === 1 ? '' : 's'} ▾`);
    toggle.addEventListener('click', () => {
      list.hidden = !list.hidden;
      toggle.setAttribute('aria-expanded', String(!list.hidden));
    });
    bar.append(toggle, list);
  }
  return bar;
}

/** The task under a right-click: a lane label, or a bar on the canvas (via taskAt). `traceOf`: the data on screen. */
export function bindCompareMenu(traceOf: () => Trace, root: HTMLElement, taskAt: (clientX: number, clientY: number) => number, openCompare: (a: number, b: number) => void): void {
  const menu = h('div', { class: 'context-menu', role: 'menu' });
  menu.hidden = true;
  document.body.append(menu);
  const first = suggestedPair(traceOf());
  let pending: { a: number; b: number } = { a: first?.[0] ?? -1, b: first?.[1] ?? -1 };
  const hide = () => (menu.hidden = true);

  root.addEventListener('contextmenu', (event) => {
    const trace = traceOf();
    const pair = suggestedPair(trace);
    const target = event.target as HTMLElement;
    const label = target.closest?.('.lane.task') as HTMLElement | null;
    const task = label?.dataset.task !== undefined ? Number(label.dataset.task) : taskAt(event.clientX, event.clientY);
    if (!(task >= 0 && task < trace.n)) return;
    event.preventDefault();
    menu.replaceChildren();
    menu.append(h('div', { class: 'menu-title' }, trace.name(task), h('span', { class: 'loc' }, ` ${trace.location(task)}`)));
    const item = (side: 'a' | 'b', text: string) => {
      let other = side === 'a' ? pending.b : pending.a;
      if (other === task && pair) other = pair[0] === task ? pair[1] : pair[0];
      const b = h('button', { type: 'button', role: 'menuitem', 'data-action': `compare-${side}` }, text);
      if (other >= 0 && other !== task) b.append(h('span', { class: 'menu-sub' }, ` with ${trace.name(other)} as ${side === 'a' ? 'B' : 'A'}`));
      else b.append(h('span', { class: 'menu-sub' }, ` then right-click another task`));
      b.addEventListener('click', () => {
        hide();
        pending = side === 'a' ? { a: task, b: pending.b } : { a: pending.a, b: task };
        // The same task on both sides: the other side takes the other suggested phase.
        if (pending.a === pending.b && pair) {
          const other = pair[0] === task ? pair[1] : pair[0];
          pending = side === 'a' ? { a: task, b: other } : { a: other, b: task };
        }
        const a = pending.a;
        const bb = pending.b;
        if (a >= 0 && bb >= 0 && a !== bb) openCompare(a, bb);
      });
      return b;
    };
    menu.append(item('a', 'Compare as A'), item('b', 'Compare as B'));
    menu.hidden = false;
    const { innerWidth, innerHeight } = window;
    const rect = menu.getBoundingClientRect();
    menu.style.left = `${Math.min(event.clientX, innerWidth - rect.width - 4)}px`;
    menu.style.top = `${Math.min(event.clientY, innerHeight - rect.height - 4)}px`;
    (menu.querySelector('button') as HTMLElement | null)?.focus();
  });
  window.addEventListener('pointerdown', (event) => {
    if (!menu.hidden && !menu.contains(event.target as Node)) hide();
  });
  window.addEventListener(
    'keydown',
    (event) => {
      if (!menu.hidden && event.key === 'Escape') {
        event.stopImmediatePropagation();
        hide();
      }
    },
    { capture: true },
  );
  window.addEventListener('blur', hide);
}
