// One frame of the timeline from the view state: the Frame the draw-*.ts functions paint from
// (the window, the rows on screen, the selection, the theme's colours), the axis, the grid, and
// the DOM beside the canvas (lane labels, band titles, the corner), rewritten only when what they
// show changed. Reads the state, never writes it.
import { scaleLinear } from 'd3';
import { TimeAxis } from './axis.js';
import { h, setText } from './dom.js';
import { drawArrows } from './draw-arrows.js';
import { drawBlocking, makeHatch } from './draw-blocking.js';
import { concScaleMax, drawConcurrencyChart, drawLagChart, lagScaleMax } from './draw-charts.js';
import { drawLanes } from './draw-lanes.js';
import { drawLoopLane } from './draw-loop.js';
import { formatCount, formatDuration, formatPercent } from './format.js';
import type { Frame } from './frame.js';
import type { Bands } from './geometry.js';
import { LaneLabels, type LabelActions, type LabelState } from './labels.js';
import { PixelBand, rgba } from './pixels.js';
import type { RenderStats } from './render-stats.js';
import { readPalette, type Palette, type ThemeName } from './theme.js';
import type { TimelineDom } from './timeline-dom.js';
import type { Trace } from './trace.js';
import type { ViewState } from './view-state.js';

export const AXIS_H = 30;

/** The plot's size and bands, CSS px (timeline.ts lays them out). */
export interface PlotLayout {
  readonly width: number;
  readonly height: number;
  readonly dpr: number;
  readonly bands: Bands;
}

interface ThemeColours {
  theme: ThemeName;
  palette: Palette;
  hatch: CanvasPattern | null;
  rgba: Frame['rgba'];
}

export class TimelineRenderer {
  private readonly axis: TimeAxis;
  private readonly labels: LaneLabels;
  private readonly pixels = { loop: new PixelBand(), lag: new PixelBand(), conc: new PixelBand() };
  private readonly font = '12px system-ui, sans-serif';
  private readonly smallFont = '11px system-ui, sans-serif';
  private colours: ThemeColours | null = null;
  /** What the labels and band titles show now: rewritten when any of it changes. */
  private shown: (LabelState & { trace: Trace }) | null = null;

  constructor(
    private readonly dom: TimelineDom,
    private readonly stats: RenderStats,
    labelActions: LabelActions,
    trace: () => Trace,
  ) {
    this.axis = new TimeAxis(dom.axisSvg);
    this.labels = new LaneLabels(dom.lanesLabels, trace, labelActions);
  }

  render(state: Readonly<ViewState>, layout: PlotLayout, rows: Int32Array): void {
    if (layout.width === 0) return;
    const started = performance.now();
    const { ctx } = this.dom;
    const { width, height, dpr, bands: b } = layout;
    const colours = this.coloursFor(state.theme);
    const p = colours.palette;
    const { from: t0, to: t1 } = state.window;
    const x = scaleLinear().domain([t0, t1]).range([0, width]);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = p.bg;
    ctx.fillRect(0, 0, width, height);
    const ticks = this.axis.update(x, width, AXIS_H);
    const bottom = b.concBottom;
    ctx.fillStyle = p.grid;
    for (const tick of ticks) ctx.fillRect(Math.round(x(tick)), 0, 1, bottom);
    // Where the run starts and ends.
    ctx.fillStyle = p.muted;
    for (const edge of [0, state.trace.wall]) {
      const ex = Math.round(x(edge));
      if (ex >= 0 && ex <= width) ctx.fillRect(ex, 0, 1, bottom);
    }
    const frame: Frame = {
      ctx,
      trace: state.trace,
      p,
      b,
      t0,
      t1,
      kx: width / (t1 - t0),
      rows,
      scrollY: state.scrollY,
      selected: state.selectedTask,
      selectedBlocking: state.selectedBlocking,
      filter: state.filter?.marks ?? null,
      highlight: state.highlight?.marks ?? null,
      collapsed: state.collapsed,
      hatch: colours.hatch,
      ticks,
      font: this.font,
      smallFont: this.smallFont,
      dpr,
      pixels: this.pixels,
      rgba: colours.rgba,
    };
    drawLoopLane(frame);
    drawLanes(frame);
    const arrows = drawArrows(frame);
    drawLagChart(frame);
    drawConcurrencyChart(frame);
    drawBlocking(frame);
    this.writeBeside(state, b, rows);
    const { dataset } = this.dom.el;
    dataset.viewStartMs = String(t0);
    dataset.viewEndMs = String(t1);
    dataset.rows = String(rows.length);
    // The arrows on screen, for tests and tools that read the page rather than its pixels.
    dataset.arrows = String(arrows);
    this.stats.record(performance.now() - started);
  }

  /** The lane labels, band titles and the corner, when what they show changed. */
  private writeBeside(state: Readonly<ViewState>, b: Bands, rows: Int32Array): void {
    const next = {
      trace: state.trace,
      rows,
      scrollY: state.scrollY,
      height: b.lanesBottom - b.lanesTop,
      collapsed: state.collapsed,
      collapsedGroups: state.collapsedGroups,
      filter: state.filter?.marks ?? null,
      selected: state.selectedTask,
    };
    const shown = this.shown;
    if (shown && (Object.keys(next) as (keyof typeof next)[]).every((key) => shown[key] === next[key])) return;
    this.shown = next;
    this.labels.update(next);
    this.writeBandTitles(state.trace, rows.length);
  }

  private writeBandTitles(trace: Trace, lanes: number): void {
    const { summary } = trace.header;
    const band = (el: HTMLElement, title: string, sub: string) => {
      if (!el.firstChild) el.append(h('div', { class: 'band-title' }), h('div', { class: 'band-sub' }));
      setText(el.firstChild as HTMLElement, title);
      setText(el.lastChild as HTMLElement, sub);
    };
    const share = trace.wall > 0 ? summary.loopBusyMs / trace.wall : 0;
    band(this.dom.sideLoop, 'event loop', `task code ran ${formatDuration(summary.loopBusyMs)} (${formatPercent(share)} of the run)`);
    band(this.dom.sideLag, 'event-loop lag', `scale 0 – ${formatDuration(lagScaleMax(trace))}`);
    band(this.dom.sideConc, 'tasks in flight', `scale 0 – ${formatCount(concScaleMax(trace))}`);
    setText(this.dom.corner, `${formatCount(trace.n)} task${trace.n === 1 ? '' : 's'}${lanes !== trace.n ? ` · ${formatCount(lanes)} lanes` : ''}`);
  }

  /** The theme's colours, read from the page's CSS when the theme changed (it is applied by then). */
  private coloursFor(theme: ThemeName): ThemeColours {
    if (this.colours?.theme === theme) return this.colours;
    const palette = readPalette();
    const rowAlt = rgba(palette.rowAlt);
    this.colours = {
      theme,
      palette,
      hatch: makeHatch(this.dom.ctx, palette.blocking),
      rgba: {
        rowAlt,
        grid: rgba(palette.grid, rowAlt),
        run: rgba(palette.run, rowAlt),
        lag: rgba(palette.lag, rowAlt),
        lagFill: rgba(palette.lagFill, rowAlt),
        conc: rgba(palette.conc, rowAlt),
        concFill: rgba(palette.concFill, rowAlt),
      },
    };
    return this.colours;
  }
}
