// The lane labels: DOM (readable by screen readers and tests), only for the rows on screen,
// recycled as the lanes scroll. Each shows the tree (indent, expand/collapse with the number of
// hidden tasks), the task's name, outcome and location.
import { OUTCOME_PENDING, OUTCOME_REJECTED } from '../src/view-model/types.js';
import { h, setText } from './dom.js';
import { formatCount } from './format.js';
import { ROW_H } from './geometry.js';
import { isTaskRow, isThreadRow, MATCH, resourceGroupOf, threadOfRow, type TaskMarks } from './rows.js';
import { formatDuration, formatPercent } from './format.js';
import type { Trace } from './trace.js';

export interface LabelState {
  rows: Int32Array;
  scrollY: number;
  height: number;
  collapsed: TaskMarks;
  filter: TaskMarks | null;
  selected: number;
  /** Per thread: 1 when its group is folded to its header. */
  collapsedGroups: TaskMarks;
}

export interface LabelActions {
  toggle(task: number): void;
  select(task: number): void;
  /** Folds or unfolds a thread's lane group. */
  toggleGroup(thread: number): void;
}

interface Slot {
  el: HTMLDivElement;
  indent: HTMLSpanElement;
  twisty: HTMLButtonElement;
  icon: HTMLSpanElement;
  name: HTMLSpanElement;
  count: HTMLSpanElement;
  mark: HTMLSpanElement;
  loc: HTMLSpanElement;
  row: number;
}

const INDENT_PX = 14;

export class LaneLabels {
  private readonly slots: Slot[] = [];

  constructor(
    private readonly container: HTMLElement,
    /** The data on screen, read at each update (it may be replaced). */
    private readonly traceOf: () => Trace,
    private readonly actions: LabelActions,
  ) {
    container.setAttribute('role', 'tree');
    container.setAttribute('aria-label', 'tasks');
    container.addEventListener('click', (event) => {
      const target = event.target as HTMLElement;
      const lane = target.closest<HTMLElement>('.lane');
      if (lane && lane.dataset.thread !== undefined) {
        this.actions.toggleGroup(Number(lane.dataset.thread));
        return;
      }
      if (!lane || lane.dataset.task === undefined) return;
      const task = Number(lane.dataset.task);
      if (target.closest('.twisty')) this.actions.toggle(task);
      else this.actions.select(task);
    });
  }

  private slot(k: number): Slot {
    let slot = this.slots[k];
    if (!slot) {
      const indent = h('span', { class: 'indent' });
      const twisty = h('button', { class: 'twisty', type: 'button' });
      const icon = h('span', { class: 'icon' });
      const name = h('span', { class: 'name' });
      const count = h('span', { class: 'count' });
      const mark = h('span', { class: 'mark' });
      const loc = h('span', { class: 'loc' });
      const el = h('div', { class: 'lane', role: 'treeitem' }, indent, twisty, icon, name, count, mark, loc);
      this.container.appendChild(el);
      slot = { el, indent, twisty, icon, name, count, mark, loc, row: -2 };
      this.slots[k] = slot;
    }
    return slot;
  }

  update(state: LabelState): void {
    const { rows, scrollY, height } = state;
    const first = Math.max(0, Math.floor(scrollY / ROW_H));
    const last = Math.min(rows.length, Math.ceil((scrollY + height) / ROW_H));
    let k = 0;
    for (let r = first; r < last; r++, k++) {
      const slot = this.slot(k);
      slot.el.hidden = false;
      slot.row = -1;
      slot.el.style.transform = `translateY(${r * ROW_H - scrollY}px)`;
      this.fill(slot, rows[r]!, state, r);
    }
    for (; k < this.slots.length; k++) {
      const slot = this.slots[k]!;
      if (slot.row === -2) continue;
      // An unused slot is no lane: no class, no data a test or a screen reader could pick up.
      slot.el.hidden = true;
      slot.el.className = 'lane-slot';
      for (const key of Object.keys(slot.el.dataset)) delete slot.el.dataset[key];
      slot.row = -2;
    }
  }

  private fillThread(slot: Slot, k: number, state: LabelState): void {
    fillThreadLabel(slot, this.traceOf(), k, state);
  }

  private fill(slot: Slot, row: number, state: LabelState, r: number): void {
    const trace = this.traceOf();
    const c = trace.c;
    const el = slot.el;
    delete el.dataset.thread;
    if (isThreadRow(row)) {
      this.fillThread(slot, threadOfRow(row), state);
      slot.row = row;
      return;
    }
    if (isTaskRow(row)) {
      const i = row;
      const depth = c.taskDepth[i]!;
      const kids = c.taskChildren[i]!;
      const collapsed = state.filter === null && state.collapsed[i] === 1;
      el.className = `lane task${r % 2 === 1 ? ' alt' : ''}${i === state.selected ? ' selected' : ''}${state.filter && state.filter[i] !== MATCH ? ' context' : ''}`;
      el.dataset.task = String(i);
      el.dataset.startMs = String(c.taskStart[i]);
      el.dataset.endMs = String(c.taskEnd[i]);
      el.dataset.outcome = trace.outcome(i);
      el.setAttribute('aria-level', String(depth + 1));
      el.setAttribute('aria-selected', String(i === state.selected));
      slot.indent.style.width = `${depth * INDENT_PX}px`;
      slot.twisty.hidden = false;
      if (kids > 0) {
        slot.twisty.disabled = state.filter !== null;
        slot.twisty.classList.remove('leaf');
        setText(slot.twisty, collapsed ? '▸' : '▾');
        slot.twisty.setAttribute('aria-label', collapsed ? 'expand' : 'collapse');
        el.setAttribute('aria-expanded', String(!collapsed));
      } else {
        slot.twisty.disabled = true;
        slot.twisty.classList.add('leaf');
        setText(slot.twisty, '');
        slot.twisty.removeAttribute('aria-label');
        el.removeAttribute('aria-expanded');
      }
      setText(slot.icon, '');
      setText(slot.name, trace.name(i));
      const hidden = collapsed ? c.taskSize[i]! - 1 : 0;
      setText(slot.count, hidden > 0 ? `+${formatCount(hidden)}` : '');
      slot.count.title = hidden > 0 ? `${formatCount(hidden)} tasks inside (collapsed)` : '';
      const outcome = c.taskOutcome[i]!;
      setText(slot.mark, outcome === OUTCOME_REJECTED ? '✕ rejected' : outcome === OUTCOME_PENDING ? '… pending' : '');
      slot.mark.className = `mark${outcome === OUTCOME_REJECTED ? ' rejected' : outcome === OUTCOME_PENDING ? ' pending' : ''}`;
      const file = trace.file(i);
      setText(slot.loc, `${file.split('/').pop()}:${c.taskLine[i]}`);
      slot.loc.title = trace.location(i);
      el.title = '';
    } else {
      const g = resourceGroupOf(row);
      const t = c.groupTask[g]!;
      const type = trace.str(c.groupType[g]!);
      const n = c.groupResOff[g + 1]! - c.groupResOff[g]!;
      el.className = `lane resource${r % 2 === 1 ? ' alt' : ''}`;
      delete el.dataset.task;
      delete el.dataset.startMs;
      delete el.dataset.endMs;
      delete el.dataset.outcome;
      el.dataset.group = String(g);
      const depth = t >= 0 ? c.taskDepth[t]! + 1 : 0;
      el.setAttribute('aria-level', String(depth + 1));
      el.removeAttribute('aria-expanded');
      el.removeAttribute('aria-selected');
      slot.indent.style.width = `${depth * INDENT_PX}px`;
      slot.twisty.hidden = true;
      setText(slot.icon, resourceIcon(type));
      setText(slot.name, n > 1 ? `${type} ×${formatCount(n)}` : type);
      setText(slot.count, '');
      setText(slot.mark, '');
      setText(slot.loc, t >= 0 ? '' : 'outside tasks');
      slot.loc.title = '';
      el.title = `${n} ${type} resource${n === 1 ? '' : 's'}${t >= 0 ? ` of ${trace.name(t)}` : ' created outside any task'}`;
    }
    slot.row = row;
  }
}

/** A thread's group header: fold control, the thread's name, its task count, busy share and worst lag. */
function fillThreadLabel(slot: Slot, trace: Trace, k: number, state: LabelState): void {
  const thread = trace.threads[k]!;
  const el = slot.el;
  const collapsed = state.collapsedGroups[k] === 1;
  el.className = 'lane thread';
  for (const key of ['task', 'startMs', 'endMs', 'outcome', 'group']) delete el.dataset[key];
  el.dataset.thread = String(k);
  el.setAttribute('aria-level', '1');
  el.setAttribute('aria-expanded', String(!collapsed));
  el.removeAttribute('aria-selected');
  slot.indent.style.width = '0px';
  slot.twisty.hidden = false;
  slot.twisty.disabled = false;
  slot.twisty.classList.remove('leaf');
  setText(slot.twisty, collapsed ? '▸' : '▾');
  slot.twisty.setAttribute('aria-label', collapsed ? 'expand thread' : 'collapse thread');
  setText(slot.icon, '');
  setText(slot.name, thread.name);
  const tasks = thread.endTask - thread.firstTask;
  setText(slot.count, `${formatCount(tasks)} task${tasks === 1 ? '' : 's'}`);
  slot.count.title = '';
  const blocked = thread.blocking.reduce((sum, b) => sum + b.durationMs, 0);
  setText(slot.mark, thread.blocking.length > 0 ? `blocked ${formatDuration(blocked)}` : '');
  slot.mark.className = `mark${thread.blocking.length > 0 ? ' rejected' : ''}`;
  const waited = thread.answers ? `waited ${formatDuration(thread.answers.waitMs)}` : '';
  const busy = thread.elu !== null ? `busy ${formatPercent(thread.elu)}` : '';
  // A child process: its script and arguments after its name (text from the program: text only).
  const kind = thread.span ? 'not Node: not profiled' : '';
  setText(slot.loc, [thread.command ?? '', thread.ended ?? '', kind, thread.span ? '' : busy, waited].filter(Boolean).join(' · '));
  slot.loc.title = thread.command ?? '';
  el.classList.toggle('process', thread.childProcess === true);
  el.title =
    `${thread.name}${thread.command ? ` (${thread.command})` : ''}: lag p99 ${formatDuration(thread.lag.p99Ms)}, max ${formatDuration(thread.lag.maxMs)}` +
    (thread.answers
      ? `; ${thread.answers.askedBy === 0 ? 'the main thread' : `worker ${thread.answers.askedBy}`} waited ${formatDuration(thread.answers.waitMs)} for its answers (${thread.answers.answered} of ${thread.answers.questions} messages answered)`
      : '');
}

export function resourceIcon(type: string): string {
  const t = type.toLowerCase();
  if (t.includes('timeout') || t.includes('interval') || t.includes('immediate') || t.includes('timer')) return '⏱';
  if (t.includes('tcp') || t.includes('http') || t.includes('fetch') || t.includes('dns') || t.includes('socket') || t.includes('pipe')) return '⇄';
  if (t.includes('fs') || t.includes('file')) return '🗎';
  return '◆';
}
