// What the user can ask for, one method per intent, each one write to the view state (plus, for
// the intents that move the view, a call to the timeline: an animated zoom, a lane scrolled into
// view). Toolbar, lane labels, canvas clicks, panels, menus and keys call these; none of them
// sets the state itself. A new control: a method here, a key in view-state.ts if it needs one,
// and a subscriber where it shows (docs/viewer.md).
import { handlerCalls } from './handler-highlight.js';
import { allCollapsed, computeFilter, initialCollapsed, withAncestorsExpanded, withToggled, type FilterQuery } from './rows.js';
import type { Store } from './store.js';
import type { Trace } from './trace.js';
import { liveWindow, type HandlerColumn, type ViewState } from './view-state.js';

/** The view's moves that take more than a write: animated, or dependent on the layout. */
export interface ViewMotion {
  /** Animates the time window to [from, to] (ms). */
  zoomTo(from: number, to: number): void;
  /** Animates the time window back to the whole run. */
  reset(): void;
  /** Scrolls the task's lane into view (its ancestors are unfolded by then). */
  reveal(task: number): void;
  /** Scrolls the lanes to the last (a live run's newest tasks are at the end of the display order). */
  scrollToEnd?(): void;
}

/** Around a blocking stretch when zooming to it: this share of its length on each side, at least 0.05 ms. */
const BLOCKING_MARGIN = 0.3;

export class ViewActions {
  constructor(
    private readonly store: Store<ViewState>,
    private readonly motion: ViewMotion,
  ) {}

  /** Selects a task: its details, its lane unfolded and scrolled into view. */
  selectTask(task: number): void {
    const { trace, collapsed, collapsedGroups } = this.store.state;
    const thread = trace.threadOf(task);
    this.store.set({
      selectedTask: task,
      selectedBlocking: -1,
      collapsed: withAncestorsExpanded(trace, collapsed, task),
      collapsedGroups: collapsedGroups[thread] === 1 ? withToggled(collapsedGroups, thread) : collapsedGroups,
      followLive: false,
    });
    this.motion.reveal(task);
  }

  /** Selects a blocking stretch and the task the loop was running (if any); `zoom`: shows it. */
  selectBlocking(k: number, zoom = false): void {
    const { trace, collapsed } = this.store.state;
    const b = trace.header.blocking[k];
    if (!b) return;
    this.store.set({
      selectedBlocking: k,
      selectedTask: b.task,
      collapsed: b.task >= 0 ? withAncestorsExpanded(trace, collapsed, b.task) : collapsed,
      followLive: false,
    });
    if (b.task >= 0) this.motion.reveal(b.task);
    if (zoom) {
      const pad = Math.max(b.durationMs * BLOCKING_MARGIN, 0.05);
      this.motion.zoomTo(b.startMs - pad, b.endMs + pad);
    }
  }

  /** Nothing selected: the details panel closes. */
  clearSelection(): void {
    this.store.set({ selectedTask: -1, selectedBlocking: -1 });
  }

  zoomTo(from: number, to: number): void {
    this.motion.zoomTo(from, to);
  }

  resetZoom(): void {
    this.motion.reset();
  }

  /** Keeps the tasks matching the query (and their ancestors); back to the top of the lanes. */
  setFilter(query: FilterQuery): void {
    const { filter, matches } = computeFilter(this.store.state.trace, query);
    this.store.set({ filter: filter ? { query, marks: filter, matches } : null, scrollY: 0 });
  }

  toggleCollapsed(task: number): void {
    this.store.set({ collapsed: withToggled(this.store.state.collapsed, task) });
  }

  /** Folds a thread's lane group to its header (its busy/idle strip), or unfolds it. */
  toggleGroup(thread: number): void {
    this.store.set({ collapsedGroups: withToggled(this.store.state.collapsedGroups, thread) });
  }

  setAllCollapsed(collapsed: boolean): void {
    this.store.set({ collapsed: allCollapsed(this.store.state.trace, collapsed) });
  }

  setShowResources(show: boolean): void {
    this.store.set({ showResources: show });
  }

  toggleTheme(): void {
    this.store.set({ theme: this.store.state.theme === 'dark' ? 'light' : 'dark' });
  }

  openCompare(a: number, b: number): void {
    this.store.set({ compare: { a, b } });
  }

  closeCompare(): void {
    this.store.set({ compare: null });
  }

  setHandlersOpen(open: boolean): void {
    this.store.set({ handlersOpen: open });
  }

  /** Orders the per-handler table by a column: the same column again flips the order; a new one starts with the largest (names: A to Z). */
  sortHandlers(column: HandlerColumn): void {
    const { handlerSort } = this.store.state;
    this.store.set({ handlerSort: handlerSort.column === column ? { column, descending: !handlerSort.descending } : { column, descending: column !== 'name' } });
  }

  /**
   * Marks the calls of row k of the per-handler table on the timeline (the same row again: the
   * marks go), unfolds the way to the first call and scrolls it into view. Like a selection, it
   * stops following a live run.
   */
  highlightHandler(k: number): void {
    const { trace, collapsed, highlight } = this.store.state;
    const row = trace.header.handlers?.[k];
    if (!row || highlight?.handler === k) {
      this.clearHighlight();
      return;
    }
    const calls = handlerCalls(trace, row);
    this.store.set({
      highlight: { handler: k, marks: calls.marks, count: calls.count },
      collapsed: calls.first >= 0 ? withAncestorsExpanded(trace, collapsed, calls.first) : collapsed,
      followLive: false,
    });
    if (calls.first >= 0) this.motion.reveal(calls.first);
  }

  clearHighlight(): void {
    this.store.set({ highlight: null });
  }

  /** Asks the live server for a snapshot of the flight recorder's window (live-feed.ts sends it). */
  requestSnapshot(): void {
    const { snapshot } = this.store.state;
    if (snapshot && snapshot.state !== 'pending') this.store.set({ snapshot: { state: 'pending', text: '' } });
  }

  /** A live page goes back to following the run's end. */
  backToLive(): void {
    this.store.set({ followLive: true });
    this.store.set({ window: liveWindow(this.store.state.trace) });
    this.motion.scrollToEnd?.();
  }

  /**
   * A live feed's newer data: the same tasks keep their folding and selection (mapped by task id
   * to their new display indices), the filter and the highlighted handler are applied to it, and
   * while following, the window moves to the run's end. The window is written after the data, so
   * the zoom controller takes it over with the new run's extent.
   */
  replaceTrace(next: Trace): void {
    const state = this.store.state;
    const old = state.trace;
    const newIndex = new Map<number, number>();
    for (let i = 0; i < next.n; i++) newIndex.set(next.c.taskId[i]!, i);
    const collapsed = initialCollapsed(next);
    for (let i = 0; i < old.n; i++) {
      const j = newIndex.get(old.c.taskId[i]!);
      if (j !== undefined) collapsed[j] = state.collapsed[i] ? 1 : 0;
    }
    const mapTask = (i: number) => (i >= 0 ? newIndex.get(old.c.taskId[i]!) ?? -1 : -1);
    const selectedTask = mapTask(state.selectedTask);
    const oldBlocking = old.header.blocking[state.selectedBlocking];
    const selectedBlocking = oldBlocking ? next.header.blocking.findIndex((b) => b.startMs === oldBlocking.startMs) : -1;
    const filter = state.filter ? computeFilter(next, state.filter.query) : null;
    let highlight = null;
    const row = state.highlight ? old.header.handlers?.[state.highlight.handler] : undefined;
    const k = row ? (next.header.handlers ?? []).findIndex((r) => r.name === row.name && r.file === row.file && r.line === row.line) : -1;
    if (row && k >= 0) {
      const calls = handlerCalls(next, next.header.handlers![k]!);
      highlight = { handler: k, marks: calls.marks, count: calls.count };
    }
    this.store.set({
      trace: next,
      collapsed,
      selectedTask,
      selectedBlocking,
      filter: filter?.filter ? { query: state.filter!.query, marks: filter.filter, matches: filter.matches } : null,
      highlight,
      compare: null,
    });
    if (this.store.state.followLive) {
      this.store.set({ window: liveWindow(next) });
      this.motion.scrollToEnd?.();
    }
  }
}
