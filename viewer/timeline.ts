// The timeline: one canvas for the event-loop lane, the task lanes and the charts (drawn each
// frame from the visible window only), a d3 time axis, DOM labels beside it. Put together here
// from its parts: the elements (timeline-dom.ts), the time window (zoom-controller.ts), the input
// (timeline-input.ts) and the drawing (timeline-renderer.ts). This file owns the layout (plot
// size, bands) and the lanes' scroll, and draws one frame after any change of the view state.
import { bands, ROW_H } from './geometry.js';
import { hitTest, type Hit } from './hit.js';
import type { KeyboardMoves } from './keyboard.js';
import { RenderStats } from './render-stats.js';
import { RowCache } from './rows.js';
import type { Store } from './store.js';
import { buildTimelineDom, placeBands, type TimelineDom } from './timeline-dom.js';
import { TimelineInput } from './timeline-input.js';
import { TimelineRenderer, type PlotLayout } from './timeline-renderer.js';
import type { ViewActions, ViewMotion } from './view-actions.js';
import { ROW_KEYS, type ViewState } from './view-state.js';
import { ZoomController } from './zoom-controller.js';

export class Timeline implements ViewMotion, KeyboardMoves {
  readonly el: HTMLDivElement;
  /** Render times and counts, for the benchmark and the page's ready mark. */
  readonly stats = new RenderStats();
  private readonly dom: TimelineDom;
  private readonly zoom: ZoomController;
  private readonly input: TimelineInput;
  private readonly renderer: TimelineRenderer;
  private readonly rowCache = new RowCache();
  private layout: PlotLayout = { width: 0, height: 0, dpr: 1, bands: bands(0, 0, 0) };
  private frameRequested = false;

  constructor(
    private readonly store: Store<ViewState>,
    actions: ViewActions,
  ) {
    this.dom = buildTimelineDom();
    this.el = this.dom.el;
    this.zoom = new ZoomController(this.dom.plot, store, {
      start: (source) => this.input.start(source),
      move: (source) => this.input.move(source),
      end: () => this.input.end(),
    });
    this.input = new TimelineInput(this.dom, store, actions, this.zoom, {
      hitAt: (x, y) => this.hitAt(x, y),
      inLanes: (y) => y >= this.layout.bands.lanesTop && y < this.layout.bands.lanesBottom,
      plotWidth: () => this.layout.width,
      scrollBy: (dy) => this.scrollBy(dy),
      scrollTo: (y) => this.scrollTo(y),
    });
    const labelActions = { toggle: (task: number) => actions.toggleCollapsed(task), select: (task: number) => actions.selectTask(task), toggleGroup: (thread: number) => actions.toggleGroup(thread) };
    this.renderer = new TimelineRenderer(this.dom, this.stats, labelActions, () => store.state.trace);
    store.subscribe(null, (state, changed) => {
      const rowsChanged = ROW_KEYS.some((key) => changed.has(key));
      if (rowsChanged) this.fitLanes();
      if (rowsChanged || changed.has('scrollY')) this.dom.vscroll.scrollTop = state.scrollY;
      this.requestRender();
    });
    new ResizeObserver(() => this.resize()).observe(this.dom.plot);
  }

  /** The lanes in order (rows.ts's encoding), for the current view state. */
  get rows(): Int32Array {
    const { trace, collapsed, collapsedGroups, showResources, filter } = this.store.state;
    return this.rowCache.rowsFor(trace, { collapsed, collapsedGroups, showResources, filter: filter?.marks ?? null });
  }

  visibleRange(): [number, number] {
    const { from, to } = this.store.state.window;
    return [from, to];
  }

  // ---- moves ----------------------------------------------------------------------------

  zoomTo(from: number, to: number, animate = true): void {
    this.zoom.zoomTo(from, to, animate);
  }

  zoomBy(factor: number, atPx?: number): void {
    this.zoom.zoomBy(factor, atPx);
  }

  panBy(px: number): void {
    this.zoom.panBy(px);
  }

  reset(): void {
    this.zoom.reset();
  }

  pointerX(): number | undefined {
    return this.input.pointerX();
  }

  taskAt(clientX: number, clientY: number): number {
    return this.input.taskAt(clientX, clientY);
  }

  scrollBy(dy: number): void {
    this.scrollTo(this.store.state.scrollY + dy);
  }

  /** Scrolls the lanes to y (CSS px), within the lanes there are. */
  scrollTo(y: number): void {
    const b = this.layout.bands;
    const max = Math.max(0, this.rows.length * ROW_H - (b.lanesBottom - b.lanesTop));
    this.store.set({ scrollY: Math.min(Math.max(0, y), max) });
  }

  /** Scrolls the task's lane into view, a third down, unless it is on screen already. */
  reveal(task: number): void {
    const r = this.rows.indexOf(task);
    if (r < 0) return;
    const top = r * ROW_H;
    const b = this.layout.bands;
    const view = b.lanesBottom - b.lanesTop;
    const { scrollY } = this.store.state;
    if (top < scrollY || top + ROW_H > scrollY + view) this.scrollTo(top - view / 3);
  }

  // ---- layout and frames ----------------------------------------------------------------

  private resize(): void {
    const { canvas, plot } = this.dom;
    const width = Math.max(50, plot.clientWidth);
    const height = Math.max(200, plot.clientHeight);
    const dpr = Math.min(window.devicePixelRatio || 1, 2);
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    this.layout = { width, height, dpr, bands: bands(width, height, this.rows.length) };
    placeBands(this.dom, this.layout.bands);
    this.fitLanes();
    this.zoom.resize(width, height);
    this.requestRender();
  }

  /** The lanes' band follows their number (the charts stay right under them); the scroll stays within. */
  private fitLanes(): void {
    const { width, height } = this.layout;
    const rows = this.rows.length;
    const b = bands(width, height, rows);
    if (b.lanesBottom !== this.layout.bands.lanesBottom) {
      this.layout = { ...this.layout, bands: b };
      placeBands(this.dom, b);
    }
    this.dom.vspacer.style.height = `${rows * ROW_H}px`;
    this.scrollTo(this.store.state.scrollY);
  }

  private hitAt(x: number, y: number): Hit | null {
    const { trace, window, scrollY } = this.store.state;
    const kx = this.layout.width / (window.to - window.from);
    return hitTest({ trace, b: this.layout.bands, t0: window.from, kx, rows: this.rows, scrollY }, x, y);
  }

  private requestRender(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      this.renderer.render(this.store.state, this.layout, this.rows);
      this.input.refreshHover();
    });
  }
}
