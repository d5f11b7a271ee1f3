// The time window's writer: d3-zoom on the plot (wheel zoom, drag pan) and the programmatic moves
// (zoom to a range, by a factor, pan, reset), kept in the store as `window`. A window written by
// someone else (a live feed) is taken over without animation, and a resize or a longer run keeps
// the window. Any move the user makes turns `followLive` off.
import { interpolate, scaleLinear, select, zoom as d3zoom, zoomIdentity, type ScaleLinear, type Selection, type ZoomBehavior, type ZoomTransform } from 'd3';
import type { Store } from './store.js';
import { runExtent, type TimeWindow, type ViewState } from './view-state.js';

/** The smallest visible window: 1 µs. */
const MIN_SPAN_MS = 0.001;

/** What a drag or a wheel gesture means besides moving the window (timeline-input.ts). */
export interface GestureHooks {
  start(source: MouseEvent | null): void;
  move(source: MouseEvent | null): void;
  end(): void;
}

export class ZoomController {
  private readonly selection: Selection<HTMLDivElement, unknown, null, undefined>;
  private readonly behavior: ZoomBehavior<HTMLDivElement, unknown>;
  /** The run's extent over the plot's width: the scale at zoom 1. */
  private readonly base: ScaleLinear<number, number> = scaleLinear();
  private transform: ZoomTransform = zoomIdentity;
  private width = 0;
  private height = 0;
  /** Where a running animation is heading (a resize must not lose it). */
  private target: TimeWindow | null = null;
  /** The window this controller wrote last: any other was written by someone else. */
  private written: TimeWindow | null = null;
  /** Set while the window moves for a reason other than the user (a resize, a live feed). */
  private quiet = false;

  constructor(
    plot: HTMLDivElement,
    private readonly store: Store<ViewState>,
    hooks: GestureHooks,
  ) {
    this.selection = select(plot);
    this.behavior = d3zoom<HTMLDivElement, unknown>()
      // Straight from one window to the next (the default swoops out and back in).
      .interpolate(interpolate)
      .filter((event: Event) => {
        const e = event as MouseEvent & WheelEvent;
        if (e.type === 'wheel') return !e.shiftKey && Math.abs(e.deltaY) >= Math.abs(e.deltaX);
        if (e.type === 'dblclick') return false;
        return !e.shiftKey && !e.button && !(e.target as HTMLElement).closest('.vscroll');
      })
      .on('start', (event) => hooks.start(event.sourceEvent as MouseEvent | null))
      .on('zoom', (event) => {
        this.transform = event.transform as ZoomTransform;
        this.write();
        hooks.move(event.sourceEvent as MouseEvent | null);
      })
      .on('end', () => hooks.end());
    this.selection.call(this.behavior).on('dblclick.zoom', null);
    store.subscribe(['window'], (state) => {
      if (state.window !== this.written) this.follow(state.window);
    });
    store.subscribe(['trace'], () => this.resize(this.width, this.height));
  }

  /** The visible window over the plot's width. */
  scale(): ScaleLinear<number, number> {
    const { from, to } = this.store.state.window;
    return scaleLinear().domain([from, to]).range([0, this.width]);
  }

  /** A new plot size or a longer run: new extents, the same window (or the same goal). */
  resize(width: number, height: number): void {
    if (width <= 0) return;
    const keep = this.target ?? this.store.state.window;
    const animating = this.target !== null;
    this.width = width;
    this.height = height;
    const extent = runExtent(this.store.state.trace);
    this.base.domain([extent.from, extent.to]).range([0, width]);
    this.behavior
      .extent([
        [0, 0],
        [width, height],
      ])
      .translateExtent([
        [0, 0],
        [width, height],
      ])
      .scaleExtent([1, Math.max(1, (extent.to - extent.from) / MIN_SPAN_MS)]);
    this.quietly(() => this.zoomTo(keep.from, keep.to, animating));
  }

  /** Shows [from, to] (ms), animated unless told otherwise. */
  zoomTo(from: number, to: number, animate = true): void {
    if (!(to > from)) to = from + MIN_SPAN_MS;
    // Stay within the run (d3-zoom does not constrain programmatic transforms).
    const [d0, d1] = this.base.domain() as [number, number];
    if (to - from >= d1 - d0) [from, to] = [d0, d1];
    else if (from < d0) [from, to] = [d0, d0 + (to - from)];
    else if (to > d1) [from, to] = [d1 - (to - from), d1];
    const transform = this.transformFor(from, to);
    if (animate) {
      const goal: TimeWindow = { from, to };
      this.target = goal;
      this.selection
        .transition()
        .duration(350)
        .call(this.behavior.transform, transform)
        .on('end interrupt', () => {
          if (this.target === goal) this.target = null;
        });
    } else {
      this.target = null;
      this.behavior.transform(this.selection, transform);
    }
  }

  zoomBy(factor: number, atPx = this.width / 2): void {
    this.behavior.scaleBy(this.selection, factor, [atPx, 0]);
  }

  /** Moves the view by `px` screen pixels (positive: later times). */
  panBy(px: number): void {
    this.behavior.translateBy(this.selection, -px / this.transform.k, 0);
  }

  /** The whole run, animated. */
  reset(): void {
    this.selection.transition().duration(300).call(this.behavior.transform, zoomIdentity);
  }

  private transformFor(from: number, to: number): ZoomTransform {
    const x = this.base;
    const k = Math.min(this.behavior.scaleExtent()[1], Math.max(1, this.width / (x(to) - x(from))));
    return zoomIdentity.translate(-x(from) * k + (this.width - k * (x(to) - x(from))) / 2, 0).scale(k);
  }

  /** d3-zoom's transform moved: the store's window follows. */
  private write(): void {
    if (this.width <= 0) return;
    const [from, to] = this.transform.rescaleX(this.base).domain() as [number, number];
    const window = { from, to };
    this.written = window;
    this.store.set(this.quiet ? { window } : { window, followLive: false });
  }

  /** The store's window was written by someone else: d3-zoom takes it over, unanimated. */
  private follow(window: TimeWindow): void {
    if (this.width <= 0) return;
    this.quietly(() => this.zoomTo(window.from, window.to, false));
  }

  private quietly(move: () => void): void {
    const before = this.quiet;
    this.quiet = true;
    try {
      move();
    } finally {
      this.quiet = before;
    }
  }
}
