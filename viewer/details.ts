// The details panel: everything about one task (timing, segments with their await lines,
// children, resources, blocking inside it) or one blocking stretch. Shows what the view state
// selects (a blocking stretch before its task), hidden when nothing is. DOM text only.
import { OUTCOME_REJECTED, SEGMENT_RUN } from '../src/view-model/types.js';
import { append, clear, h } from './dom.js';
import { formatCount, formatDuration, formatFrame, formatInstant, formatPercent } from './format.js';
import type { Store } from './store.js';
import type { Trace } from './trace.js';
import type { ViewActions } from './view-actions.js';
import type { ViewState } from './view-state.js';

const MAX_LIST = 200;

export class DetailsPanel {
  readonly el: HTMLElement;
  private readonly body: HTMLDivElement;

  constructor(
    private readonly store: Store<ViewState>,
    private readonly actions: ViewActions,
  ) {
    const close = h('button', { class: 'close', type: 'button', 'aria-label': 'close details' }, '×');
    close.addEventListener('click', () => this.actions.clearSelection());
    this.body = h('div', { class: 'details-body' });
    this.el = h('aside', { class: 'details', 'aria-label': 'details' }, close, this.body);
    this.el.hidden = true;
    store.subscribe(['selectedTask', 'selectedBlocking', 'trace'], ({ selectedTask, selectedBlocking }) => {
      if (selectedBlocking >= 0) this.showBlocking(selectedBlocking);
      else if (selectedTask >= 0) this.showTask(selectedTask);
      else this.el.hidden = true;
    });
  }

  private get trace(): Trace {
    return this.store.state.trace;
  }

  private taskLink(i: number, text?: string): HTMLButtonElement {
    const button = h('button', { class: 'link', type: 'button', 'data-task': i }, text ?? this.trace.name(i));
    button.addEventListener('click', () => this.actions.selectTask(i));
    return button;
  }

  private row(label: string, ...value: (string | Node)[]): HTMLElement {
    return h('div', { class: 'kv' }, h('span', { class: 'k' }, label), h('span', { class: 'v' }, ...value));
  }

  private showTask(i: number): void {
    const { trace } = this;
    const c = trace.c;
    clear(this.body);
    const start = c.taskStart[i]!;
    const end = c.taskEnd[i]!;
    const outcome = trace.outcome(i);
    const zoom = h('button', { class: 'button', type: 'button' }, 'Zoom to this task');
    zoom.addEventListener('click', () => {
      const pad = Math.max((end - start) * 0.05, 0.01);
      this.actions.zoomTo(start - pad, end + pad);
    });
    const fnCode = trace.source(c.taskFile[i]!, c.taskLine[i]!);
    append(
      this.body,
      h('h2', null, trace.name(i)),
      h('div', { class: 'sub' }, h('span', { class: `badge ${outcome}` }, outcome), ` ${trace.str(c.taskKind[i]!)} · task #${c.taskId[i]}`),
      this.row('source', trace.location(i)),
      fnCode ? h('pre', { class: 'code' }, fnCode) : null,
      this.row('started', formatInstant(start)),
      this.row(outcome === 'pending' ? 'still running at' : 'ended', formatInstant(end)),
      this.row('duration', formatDuration(end - start)),
      this.row('running', `${formatDuration(c.taskRun[i]!)} (${formatPercent(end > start ? c.taskRun[i]! / (end - start) : 0)})`),
      this.row('waiting', formatDuration(c.taskWait[i]!)),
      h('div', { class: 'actions' }, zoom),
    );

    const parent = c.taskParent[i]!;
    if (parent >= 0) append(this.body, this.row('started by', this.taskLink(parent), ` ${trace.location(parent)}`));

    // Blocking stretches inside this task.
    const blocking = trace.header.blocking.map((b, k) => [b, k] as const).filter(([b]) => b.task === i);
    if (blocking.length > 0) {
      const list = h('ul', { class: 'list' });
      for (const [b, k] of blocking) {
        const button = h('button', { class: 'link', type: 'button' }, `${formatDuration(b.durationMs)} at ${formatInstant(b.startMs)}: ${b.function} ${b.file}:${b.line}`);
        button.addEventListener('click', () => this.actions.selectBlocking(k, true));
        list.appendChild(h('li', { class: 'blocking-item' }, '⚠ ', button));
      }
      append(this.body, h('h3', null, 'Blocked the event loop'), list);
    }

    // Children.
    const kids = c.taskChildren[i]!;
    if (kids > 0) {
      const list = h('ul', { class: 'list' });
      let shown = 0;
      for (let k = i + 1; k < i + c.taskSize[i]! && shown < MAX_LIST; k += c.taskSize[k]!) {
        list.appendChild(
          h('li', null, this.taskLink(k), ` ${formatDuration(c.taskEnd[k]! - c.taskStart[k]!)} from ${formatInstant(c.taskStart[k]!)}`, c.taskOutcome[k] === OUTCOME_REJECTED ? h('span', { class: 'badge rejected' }, 'rejected') : null),
        );
        shown++;
      }
      if (kids > shown) list.appendChild(h('li', { class: 'more' }, `… and ${formatCount(kids - shown)} more`));
      append(this.body, h('h3', null, `Started ${formatCount(kids)} task${kids === 1 ? '' : 's'}`), list);
    }

    // Resources.
    const [g0, g1] = trace.groupsOf(i);
    if (g1 > g0) {
      const list = h('ul', { class: 'list' });
      for (let g = g0; g < g1; g++) {
        const r0 = c.groupResOff[g]!;
        const r1 = c.groupResOff[g + 1]!;
        let callbacks = 0;
        for (let r = r0; r < r1; r++) callbacks += c.resCbOff[r + 1]! - c.resCbOff[r]!;
        list.appendChild(h('li', null, `${trace.str(c.groupType[g]!)} ×${formatCount(r1 - r0)} · ${formatCount(callbacks)} callback${callbacks === 1 ? '' : 's'}`));
      }
      append(this.body, h('h3', null, 'Timers and I/O'), list);
    }

    // Segments.
    const [s0, s1] = trace.segments(i);
    if (s1 > s0) {
      const table = h('table', { class: 'segments' }, h('thead', null, h('tr', null, h('th', null, ''), h('th', null, 'from'), h('th', null, 'for'), h('th', null, 'line'))));
      const tbody = h('tbody');
      for (let s = s0; s < s1 && s - s0 < MAX_LIST; s++) {
        const run = c.segKind[s] === SEGMENT_RUN;
        const line = c.segLine[s]!;
        const code = trace.source(c.taskFile[i]!, line);
        tbody.appendChild(
          h(
            'tr',
            { class: run ? 'run' : 'wait' },
            h('td', null, h('span', { class: 'swatch' }), run ? 'run' : 'wait'),
            h('td', null, formatInstant(c.segStart[s]!)),
            h('td', null, formatDuration(c.segEnd[s]! - c.segStart[s]!)),
            h('td', null, String(line)),
          ),
        );
        if (code && !run) {
          const cell = h('td', null, h('code', null, code));
          cell.colSpan = 4;
          tbody.appendChild(h('tr', { class: 'code-row' }, cell));
        }
      }
      table.appendChild(tbody);
      append(this.body, h('h3', null, `Segments (${formatCount(s1 - s0)})`), table);
      if (s1 - s0 > MAX_LIST) append(this.body, h('div', { class: 'more' }, `… and ${formatCount(s1 - s0 - MAX_LIST)} more`));
    }
    this.el.hidden = false;
  }

  private showBlocking(k: number): void {
    const { trace } = this;
    const b = trace.header.blocking[k]!;
    clear(this.body);
    const zoom = h('button', { class: 'button', type: 'button' }, 'Zoom to this stretch');
    zoom.addEventListener('click', () => {
      const pad = Math.max(b.durationMs * 0.5, 0.05);
      this.actions.zoomTo(b.startMs - pad, b.endMs + pad);
    });
    const fileIndex = trace.strings.indexOf(b.file);
    const code = fileIndex >= 0 ? trace.source(fileIndex, b.line) : undefined;
    append(
      this.body,
      h('h2', null, `Blocked ${formatDuration(b.durationMs)}`),
      h(
        'div',
        { class: 'sub' },
        b.awaitChain
          ? `${formatCount(b.awaitsResumed)} awaits resumed one after another without the loop turning: what they awaited never waited for I/O or a timer, so each resumed in the same pass of the microtask queue, and no timer or I/O callback could run meanwhile. Below, the function that took most of the time.`
          : 'The event loop ran this code without yielding: no other task, timer or I/O callback could run meanwhile.',
      ),
      this.row('function', b.function || '(anonymous)'),
      this.row('source', `${b.file}:${b.line}`),
      code ? h('pre', { class: 'code' }, code) : null,
      b.inside ? this.row('time spent in', formatFrame(b.inside)) : null,
      this.row('from', formatInstant(b.startMs)),
      this.row('to', formatInstant(b.endMs)),
      b.task >= 0 ? this.row('in task', this.taskLink(b.task)) : null,
      this.row('samples', String(b.samples)),
      b.awaitsResumed > 0 ? this.row('awaits resumed', formatCount(b.awaitsResumed)) : null,
      h('div', { class: 'actions' }, zoom),
    );
    if (b.stack.length > 0) {
      const list = h('ol', { class: 'list stack' });
      for (const frame of b.stack) list.appendChild(h('li', null, `${frame.function || '(anonymous)'} `, h('span', { class: 'loc' }, `${frame.file}:${frame.line}`)));
      append(this.body, h('h3', null, 'Called from'), list);
    }
    this.el.hidden = false;
  }
}
