// What the user can ask for, one method per intent, each one write to the view state (plus, for
// the intents that move the view, a call to the timeline: an animated zoom, a lane scrolled into
// view). Toolbar, lane labels, canvas clicks, panels, menus and keys call these; none of them
// sets the state itself. A new control: a method here, a key in view-state.ts if it needs one,
// and a subscriber where it shows (docs/viewer.md).
import { allCollapsed, computeFilter, withAncestorsExpanded, withToggled, type FilterQuery } from './rows.js';
import type { Store } from './store.js';
import type { ViewState } from './view-state.js';

/** The view's moves that take more than a write: animated, or dependent on the layout. */
export interface ViewMotion {
  /** Animates the time window to [from, to] (ms). */
  zoomTo(from: number, to: number): void;
  /** Animates the time window back to the whole run. */
  reset(): void;
  /** Scrolls the task's lane into view (its ancestors are unfolded by then). */
  reveal(task: number): void;
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
      this.motion.zoomTo(b.startMs - pad, b.startMs + b.durationMs + pad);
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
}
