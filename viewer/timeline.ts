// The timeline: one canvas for the event-loop lane, the task lanes and the charts (drawn each
// frame from the visible window only), a d3 time axis, DOM labels beside it, and the
// interactions: d3-zoom for wheel zoom and drag pan, Shift+drag or a drag on the ruler to zoom to
// a range, vertical scrolling of the lanes, hover and click.
import { interpolate, scaleLinear, select, zoom as d3zoom, zoomIdentity, type ScaleLinear, type Selection, type ZoomBehavior, type ZoomTransform } from 'd3';
import { TimeAxis } from './axis.js';
import { h, setText } from './dom.js';
import { drawBlocking, makeHatch } from './draw-blocking.js';
import { concScaleMax, drawConcurrencyChart, drawLagChart, lagScaleMax } from './draw-charts.js';
import { PixelBand, rgba } from './pixels.js';
import { drawLanes } from './draw-lanes.js';
import { drawLoopLane } from './draw-loop.js';
import { formatCount, formatDuration, formatInstant, formatPercent } from './format.js';
import type { Frame } from './frame.js';
import { bands, ROW_H, type Bands } from './geometry.js';
import { hitTest, type Hit } from './hit.js';
import { LaneLabels } from './labels.js';
import { computeRows, initialCollapsed, type RowState } from './rows.js';
import { readPalette, type Palette } from './theme.js';
import { Tooltip } from './tooltip.js';
import type { Trace } from './trace.js';

export const AXIS_H = 30;
/** The smallest visible window: 1 µs. */
const MIN_SPAN_MS = 0.001;

export interface TimelineActions {
  selectTask(task: number): void;
  selectBlocking(k: number): void;
}

export class Timeline {
  readonly el: HTMLDivElement;
  private readonly plot: HTMLDivElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly axis: TimeAxis;
  private readonly axisWrap: HTMLDivElement;
  private readonly sideLanes: HTMLDivElement;
  private readonly sideLoop: HTMLDivElement;
  private readonly sideLag: HTMLDivElement;
  private readonly sideConc: HTMLDivElement;
  private readonly corner: HTMLDivElement;
  private readonly labels: LaneLabels;
  private readonly vscroll: HTMLDivElement;
  private readonly vspacer: HTMLDivElement;
  private readonly hoverLine: HTMLDivElement;
  private readonly hoverTime: HTMLDivElement;
  private readonly brush: HTMLDivElement;
  private readonly tooltip: Tooltip;
  private readonly selection: Selection<HTMLDivElement, unknown, null, undefined>;
  private readonly zoomBehavior: ZoomBehavior<HTMLDivElement, unknown>;

  private palette: Palette;
  private hatch: CanvasPattern | null = null;
  private readonly pixelBands = { loop: new PixelBand(), lag: new PixelBand(), conc: new PixelBand() };
  private rgbaColors = { rowAlt: 0, grid: 0, run: 0, lag: 0, lagFill: 0, conc: 0, concFill: 0 };
  private font = '12px system-ui, sans-serif';
  private smallFont = '11px system-ui, sans-serif';
  readonly rowState: RowState;
  rows: Int32Array;
  private scrollY = 0;
  selected = -1;
  selectedBlocking = -1;
  private transform: ZoomTransform = zoomIdentity;
  private readonly x0: ScaleLinear<number, number> = scaleLinear();
  private width = 0;
  private height = 0;
  private dpr = 1;
  private b: Bands = bands(0, 0, 0);
  private frameRequested = false;
  private labelsDirty = true;
  private dragInLanes = false;
  private brushFrom: number | null = null;
  /** Where a running zoom animation is heading (a resize must not lose it). */
  private zoomTarget: [number, number] | null = null;
  private pointer: { x: number; y: number; clientX: number; clientY: number } | null = null;
  /** Durations of recent renders (ms), for the benchmark. */
  readonly frameTimes: number[] = [];
  renders = 0;
  onFirstRender: (() => void) | null = null;

  constructor(
    private readonly trace: Trace,
    private readonly actions: TimelineActions,
  ) {
    this.palette = readPalette();
    this.rowState = { collapsed: initialCollapsed(trace), showResources: false, filter: null };
    this.rows = computeRows(trace, this.rowState);

    this.corner = h('div', { class: 'corner' });
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('class', 'axis-svg');
    svg.setAttribute('aria-label', 'time axis (drag to zoom to a range)');
    this.axisWrap = h('div', { class: 'axis-wrap', title: 'drag to zoom to a range' });
    this.axisWrap.appendChild(svg);
    this.axis = new TimeAxis(svg);

    const lanesLabels = h('div', { class: 'lanes-labels' });
    this.sideLanes = h('div', { class: 'side-lanes' }, lanesLabels);
    this.sideLoop = h('div', { class: 'side-band side-loop' });
    this.sideLag = h('div', { class: 'side-band side-lag' });
    this.sideConc = h('div', { class: 'side-band side-conc' });
    const side = h('div', { class: 'side' }, this.sideLoop, this.sideLanes, this.sideLag, this.sideConc);

    this.canvas = h('canvas', { class: 'plot-canvas' });
    this.canvas.setAttribute('aria-label', 'timeline of tasks, event loop, lag and concurrency');
    this.canvas.setAttribute('role', 'img');
    const ctx = this.canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new Error('canvas 2d is not available');
    this.ctx = ctx;
    this.vspacer = h('div', { class: 'vspacer' });
    this.vscroll = h('div', { class: 'vscroll', 'aria-hidden': 'true' }, this.vspacer);
    this.hoverLine = h('div', { class: 'hover-line' });
    this.hoverTime = h('div', { class: 'hover-time' });
    this.brush = h('div', { class: 'brush' });
    this.hoverLine.hidden = true;
    this.hoverTime.hidden = true;
    this.brush.hidden = true;
    this.plot = h('div', { class: 'plot' }, this.canvas, this.hoverLine, this.brush, this.vscroll);
    this.axisWrap.appendChild(this.hoverTime);
    this.el = h('div', { class: 'timeline' }, this.corner, this.axisWrap, side, this.plot);
    this.tooltip = new Tooltip(trace);

    this.labels = new LaneLabels(lanesLabels, trace, {
      toggle: (task) => this.toggle(task),
      select: (task) => this.actions.selectTask(task),
    });

    this.selection = select(this.plot);
    this.zoomBehavior = d3zoom<HTMLDivElement, unknown>()
      // Straight from one window to the next (the default swoops out and back in).
      .interpolate(interpolate)
      .filter((event: Event) => {
        const e = event as MouseEvent & WheelEvent;
        if (e.type === 'wheel') return !e.shiftKey && Math.abs(e.deltaY) >= Math.abs(e.deltaX);
        if (e.type === 'dblclick') return false;
        return !e.shiftKey && !e.button && !(e.target as HTMLElement).closest('.vscroll');
      })
      .on('start', (event) => {
        const source = event.sourceEvent as MouseEvent | null;
        this.dragInLanes = !!source && source.type === 'mousedown' && this.inLanes(this.localY(source));
        if (source?.type === 'mousedown') this.plot.classList.add('dragging');
      })
      .on('zoom', (event) => {
        this.transform = event.transform as ZoomTransform;
        const source = event.sourceEvent as MouseEvent | null;
        if (source && source.type === 'mousemove' && this.dragInLanes && source.movementY) this.scrollBy(-source.movementY);
        this.tooltip.hide();
        this.requestRender();
      })
      .on('end', () => {
        this.plot.classList.remove('dragging');
        this.dragInLanes = false;
      });
    this.selection.call(this.zoomBehavior).on('dblclick.zoom', null);

    this.bindEvents();
    new ResizeObserver(() => this.layout()).observe(this.plot);
  }

  // ---- geometry and scales -------------------------------------------------------------

  private localY(event: MouseEvent): number {
    return event.clientY - this.plot.getBoundingClientRect().top;
  }
  private inLanes(y: number): boolean {
    return y >= this.b.lanesTop && y < this.b.lanesBottom;
  }

  currentX(): ScaleLinear<number, number> {
    return this.transform.rescaleX(this.x0);
  }

  visibleRange(): [number, number] {
    const [a, b] = this.currentX().domain() as [number, number];
    return [a, b];
  }

  private layout(): void {
    const width = Math.max(50, this.plot.clientWidth);
    const height = Math.max(200, this.plot.clientHeight);
    const target = this.zoomTarget;
    const keep = target ?? (this.width > 0 ? this.visibleRange() : null);
    this.width = width;
    this.height = height;
    this.dpr = Math.min(window.devicePixelRatio || 1, 2);
    this.canvas.width = Math.round(width * this.dpr);
    this.canvas.height = Math.round(height * this.dpr);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    this.b = bands(width, height, this.rows.length);
    const wall = this.trace.wall;
    const pad = wall * 0.01;
    this.x0.domain([-pad, wall + pad]).range([0, width]);
    this.zoomBehavior
      .extent([
        [0, 0],
        [width, height],
      ])
      .translateExtent([
        [0, 0],
        [width, height],
      ])
      .scaleExtent([1, Math.max(1, (wall + 2 * pad) / MIN_SPAN_MS)]);
    this.placeBands();
    if (keep) this.zoomTo(keep[0], keep[1], target !== null);
    else this.zoomBehavior.transform(this.selection, this.transform);
    this.labelsDirty = true;
    this.requestRender();
  }

  private placeBands(): void {
    const b = this.b;
    const place = (el: HTMLElement, top: number, height: number) => {
      el.style.top = `${top}px`;
      el.style.height = `${height}px`;
    };
    place(this.sideLoop, b.loopTop, b.loopBottom - b.loopTop);
    place(this.sideLanes, b.lanesTop, b.lanesBottom - b.lanesTop);
    place(this.sideLag, b.lagTop, b.lagBottom - b.lagTop);
    place(this.sideConc, b.concTop, b.concBottom - b.concTop);
    place(this.vscroll, b.lanesTop, b.lanesBottom - b.lanesTop);
    this.updateSpacer();
  }

  private updateSpacer(): void {
    const b = bands(this.width, this.height, this.rows.length);
    if (b.lanesBottom !== this.b.lanesBottom) {
      this.b = b;
      this.placeBands();
      return;
    }
    this.vspacer.style.height = `${this.rows.length * ROW_H}px`;
    this.clampScroll();
  }

  private clampScroll(): void {
    const max = Math.max(0, this.rows.length * ROW_H - (this.b.lanesBottom - this.b.lanesTop));
    this.scrollY = Math.min(Math.max(0, this.scrollY), max);
  }

  scrollBy(dy: number): void {
    this.scrollTo(this.scrollY + dy);
  }

  scrollTo(y: number): void {
    const before = this.scrollY;
    this.scrollY = y;
    this.clampScroll();
    if (this.scrollY !== before) {
      this.vscroll.scrollTop = this.scrollY;
      this.labelsDirty = true;
      this.requestRender();
    }
  }

  // ---- zoom ----------------------------------------------------------------------------

  /** Shows [from, to] (ms), animated unless told otherwise. */
  zoomTo(from: number, to: number, animate = true): void {
    if (!(to > from)) to = from + MIN_SPAN_MS;
    // Stay within the run (d3-zoom does not constrain programmatic transforms).
    const [d0, d1] = this.x0.domain() as [number, number];
    if (to - from >= d1 - d0) [from, to] = [d0, d1];
    else if (from < d0) [from, to] = [d0, d0 + (to - from)];
    else if (to > d1) [from, to] = [d1 - (to - from), d1];
    const x0 = this.x0;
    const k = Math.min(this.zoomBehavior.scaleExtent()[1], Math.max(1, this.width / (x0(to) - x0(from))));
    const target = zoomIdentity.translate(-x0(from) * k + (this.width - k * (x0(to) - x0(from))) / 2, 0).scale(k);
    if (animate) {
      const goal: [number, number] = [from, to];
      this.zoomTarget = goal;
      this.selection
        .transition()
        .duration(350)
        .call(this.zoomBehavior.transform, target)
        .on('end interrupt', () => {
          if (this.zoomTarget === goal) this.zoomTarget = null;
        });
    } else {
      this.zoomTarget = null;
      this.zoomBehavior.transform(this.selection, target);
    }
  }

  zoomBy(factor: number, atPx = this.width / 2): void {
    this.zoomBehavior.scaleBy(this.selection, factor, [atPx, 0]);
  }

  /** Moves the view by `px` screen pixels (positive: later times). */
  panBy(px: number): void {
    this.zoomBehavior.translateBy(this.selection, -px / this.transform.k, 0);
  }

  reset(): void {
    this.selection.transition().duration(300).call(this.zoomBehavior.transform, zoomIdentity);
  }

  pointerX(): number | undefined {
    return this.pointer?.x;
  }

  // ---- rows ----------------------------------------------------------------------------

  refreshRows(): void {
    this.rows = computeRows(this.trace, this.rowState);
    this.updateSpacer();
    this.vscroll.scrollTop = this.scrollY;
    this.labelsDirty = true;
    this.requestRender();
  }

  toggle(task: number): void {
    this.rowState.collapsed[task] = this.rowState.collapsed[task] ? 0 : 1;
    this.refreshRows();
  }

  setAllCollapsed(collapsed: boolean): void {
    const { taskChildren, taskDepth } = this.trace.c;
    for (let i = 0; i < this.trace.n; i++) this.rowState.collapsed[i] = collapsed && taskChildren[i]! > 0 && taskDepth[i]! >= 0 ? 1 : 0;
    this.refreshRows();
  }

  /** Expands the task's ancestors and scrolls its lane into view. */
  reveal(task: number): void {
    let changed = false;
    for (const a of this.trace.ancestors(task)) {
      if (this.rowState.collapsed[a]) {
        this.rowState.collapsed[a] = 0;
        changed = true;
      }
    }
    if (changed) this.refreshRows();
    let r = -1;
    for (let k = 0; k < this.rows.length; k++) {
      if (this.rows[k] === task) {
        r = k;
        break;
      }
    }
    if (r < 0) return;
    const top = r * ROW_H;
    const view = this.b.lanesBottom - this.b.lanesTop;
    if (top < this.scrollY || top + ROW_H > this.scrollY + view) this.scrollTo(top - view / 3);
  }

  setPalette(): void {
    this.palette = readPalette();
    this.hatch = makeHatch(this.ctx, this.palette.blocking);
    this.resolveColors();
    this.requestRender();
  }

  private resolveColors(): void {
    const p = this.palette;
    const rowAlt = rgba(p.rowAlt);
    this.rgbaColors = {
      rowAlt,
      grid: rgba(p.grid, rowAlt),
      run: rgba(p.run, rowAlt),
      lag: rgba(p.lag, rowAlt),
      lagFill: rgba(p.lagFill, rowAlt),
      conc: rgba(p.conc, rowAlt),
      concFill: rgba(p.concFill, rowAlt),
    };
  }

  // ---- events --------------------------------------------------------------------------

  private bindEvents(): void {
    this.vscroll.addEventListener('scroll', () => {
      if (Math.abs(this.vscroll.scrollTop - this.scrollY) >= 1) {
        this.scrollY = this.vscroll.scrollTop;
        this.clampScroll();
        this.labelsDirty = true;
        this.requestRender();
      }
    });
    // Wheel over the labels scrolls the lanes; Shift+wheel or a sideways swipe over the plot too.
    this.sideLanes.addEventListener(
      'wheel',
      (event) => {
        event.preventDefault();
        this.scrollBy(event.deltaY);
      },
      { passive: false },
    );
    this.plot.addEventListener(
      'wheel',
      (event) => {
        if (event.shiftKey) {
          event.preventDefault();
          this.scrollBy(event.deltaY || event.deltaX);
        } else if (Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
          event.preventDefault();
          this.panBy(event.deltaX);
        }
      },
      { passive: false },
    );

    this.plot.addEventListener('mousemove', (event) => {
      const rect = this.plot.getBoundingClientRect();
      this.pointer = { x: event.clientX - rect.left, y: event.clientY - rect.top, clientX: event.clientX, clientY: event.clientY };
      if (event.buttons === 0) this.hover();
    });
    this.plot.addEventListener('mouseleave', () => {
      this.pointer = null;
      this.tooltip.hide();
      this.hoverLine.hidden = true;
      this.hoverTime.hidden = true;
    });
    this.plot.addEventListener('click', (event) => {
      const rect = this.plot.getBoundingClientRect();
      const hit = this.hit(event.clientX - rect.left, event.clientY - rect.top);
      if (!hit) return;
      if (hit.kind === 'task') this.actions.selectTask(hit.task);
      else if (hit.kind === 'blocking') this.actions.selectBlocking(hit.blocking);
      else if (hit.kind === 'group' && this.trace.c.groupTask[hit.group]! >= 0) this.actions.selectTask(this.trace.c.groupTask[hit.group]!);
      else if (hit.kind === 'loop') {
        if (hit.blocking >= 0) this.actions.selectBlocking(hit.blocking);
        else if (hit.interval >= 0 && this.trace.c.loopOwner[hit.interval]! >= 0) this.actions.selectTask(this.trace.c.loopOwner[hit.interval]!);
      }
    });

    // Range zoom: drag on the ruler, or Shift+drag anywhere on the plot.
    const startBrush = (event: PointerEvent) => {
      if (event.button !== 0) return;
      const rect = this.plot.getBoundingClientRect();
      this.brushFrom = Math.min(Math.max(0, event.clientX - rect.left), this.width);
      this.brush.hidden = false;
      this.brush.style.left = `${this.brushFrom}px`;
      this.brush.style.width = '0px';
      this.tooltip.hide();
      event.preventDefault();
    };
    this.axisWrap.addEventListener('pointerdown', startBrush);
    this.plot.addEventListener(
      'pointerdown',
      (event) => {
        if (event.shiftKey) {
          event.stopPropagation();
          startBrush(event);
        }
      },
      { capture: true },
    );
    window.addEventListener('pointermove', (event) => {
      if (this.brushFrom === null) return;
      const rect = this.plot.getBoundingClientRect();
      const x = Math.min(Math.max(0, event.clientX - rect.left), this.width);
      this.brush.style.left = `${Math.min(x, this.brushFrom)}px`;
      this.brush.style.width = `${Math.abs(x - this.brushFrom)}px`;
    });
    window.addEventListener('pointerup', (event) => {
      if (this.brushFrom === null) return;
      const rect = this.plot.getBoundingClientRect();
      const x = Math.min(Math.max(0, event.clientX - rect.left), this.width);
      const from = this.brushFrom;
      this.brushFrom = null;
      this.brush.hidden = true;
      if (Math.abs(x - from) < 4) return;
      const scale = this.currentX();
      this.zoomTo(scale.invert(Math.min(x, from)), scale.invert(Math.max(x, from)));
    });
  }

  /** The task under a point of the page (its bar or its resource lane), or -1: for the right-click menu. */
  taskAt(clientX: number, clientY: number): number {
    const rect = this.plot.getBoundingClientRect();
    const hit = this.hit(clientX - rect.left, clientY - rect.top);
    if (hit?.kind === 'task') return hit.task;
    return hit?.kind === 'group' ? this.trace.c.groupTask[hit.group]! : -1;
  }

  private hit(x: number, y: number): Hit | null {
    const [t0, t1] = this.visibleRange();
    return hitTest({ trace: this.trace, b: this.b, t0, kx: this.width / (t1 - t0), rows: this.rows, scrollY: this.scrollY }, x, y);
  }

  private hover(): void {
    const p = this.pointer;
    if (!p) return;
    const [t0, t1] = this.visibleRange();
    const t = t0 + (p.x / this.width) * (t1 - t0);
    this.hoverLine.hidden = false;
    this.hoverLine.style.transform = `translateX(${Math.round(p.x)}px)`;
    this.hoverTime.hidden = false;
    setText(this.hoverTime, formatInstant(t));
    this.hoverTime.style.transform = `translateX(${Math.round(p.x)}px) translateX(-50%)`;
    const hit = this.hit(p.x, p.y);
    if (hit) this.tooltip.show(hit, p.clientX, p.clientY);
    else this.tooltip.hide();
    this.plot.classList.toggle('over-item', !!hit && (hit.kind === 'task' || hit.kind === 'blocking' || hit.kind === 'group'));
  }

  // ---- rendering -----------------------------------------------------------------------

  requestRender(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      this.render();
    });
  }

  render(): void {
    if (this.width === 0) return;
    const started = performance.now();
    if (!this.hatch) {
      this.hatch = makeHatch(this.ctx, this.palette.blocking);
      this.resolveColors();
    }
    const ctx = this.ctx;
    const p = this.palette;
    const x = this.currentX();
    const [t0, t1] = x.domain() as [number, number];
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.fillStyle = p.bg;
    ctx.fillRect(0, 0, this.width, this.height);
    const ticks = this.axis.update(x, this.width, AXIS_H);
    const bottom = this.b.concBottom;
    ctx.fillStyle = p.grid;
    for (const tick of ticks) ctx.fillRect(Math.round(x(tick)), 0, 1, bottom);
    // Where the run starts and ends.
    ctx.fillStyle = p.muted;
    for (const edge of [0, this.trace.wall]) {
      const ex = Math.round(x(edge));
      if (ex >= 0 && ex <= this.width) ctx.fillRect(ex, 0, 1, bottom);
    }
    const frame: Frame = {
      ctx,
      trace: this.trace,
      p,
      b: this.b,
      t0,
      t1,
      kx: this.width / (t1 - t0),
      rows: this.rows,
      scrollY: this.scrollY,
      selected: this.selected,
      selectedBlocking: this.selectedBlocking,
      filter: this.rowState.filter,
      hatch: this.hatch,
      ticks,
      font: this.font,
      smallFont: this.smallFont,
      dpr: this.dpr,
      pixels: this.pixelBands,
      rgba: this.rgbaColors,
    };
    drawLoopLane(frame);
    drawLanes(frame);
    drawLagChart(frame);
    drawConcurrencyChart(frame);
    drawBlocking(frame);

    if (this.labelsDirty) {
      this.labelsDirty = false;
      this.labels.update({
        rows: this.rows,
        scrollY: this.scrollY,
        height: this.b.lanesBottom - this.b.lanesTop,
        collapsed: this.rowState.collapsed,
        filter: this.rowState.filter,
        selected: this.selected,
      });
      this.updateSideText(frame);
    }
    this.el.dataset.viewStartMs = String(t0);
    this.el.dataset.viewEndMs = String(t1);
    this.el.dataset.rows = String(this.rows.length);
    this.renders++;
    this.frameTimes.push(performance.now() - started);
    if (this.frameTimes.length > 1000) this.frameTimes.splice(0, this.frameTimes.length - 1000);
    if (this.pointer && !this.tooltip.el.hidden) this.hover();
    if (this.onFirstRender) {
      const done = this.onFirstRender;
      this.onFirstRender = null;
      done();
    }
  }

  markLabelsDirty(): void {
    this.labelsDirty = true;
    this.requestRender();
  }

  private updateSideText(frame: Frame): void {
    const { summary } = this.trace.header;
    const band = (el: HTMLElement, title: string, sub: string) => {
      if (!el.firstChild) el.append(h('div', { class: 'band-title' }), h('div', { class: 'band-sub' }));
      setText(el.firstChild as HTMLElement, title);
      setText(el.lastChild as HTMLElement, sub);
    };
    const share = this.trace.wall > 0 ? summary.loopBusyMs / this.trace.wall : 0;
    band(this.sideLoop, 'event loop', `task code ran ${formatDuration(summary.loopBusyMs)} (${formatPercent(share)} of the run)`);
    band(this.sideLag, 'event-loop lag', `scale 0 – ${formatDuration(lagScaleMax(frame))}`);
    band(this.sideConc, 'tasks in flight', `scale 0 – ${formatCount(concScaleMax(frame))}`);
    const shown = this.rows.length;
    setText(this.corner, `${formatCount(this.trace.n)} task${this.trace.n === 1 ? '' : 's'}${shown !== this.trace.n ? ` · ${formatCount(shown)} lanes` : ''}`);
  }
}
