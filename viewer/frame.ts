// What one drawing pass needs: the canvas, the data, the colours and the visible window.
import type { Bands } from './geometry.js';
import type { PixelBand } from './pixels.js';
import type { TaskMarks } from './rows.js';
import type { Palette } from './theme.js';
import type { Trace } from './trace.js';

export interface Frame {
  ctx: CanvasRenderingContext2D;
  trace: Trace;
  p: Palette;
  b: Bands;
  /** Visible time window (ms) and pixels per ms: x = (t - t0) * kx. */
  t0: number;
  t1: number;
  kx: number;
  rows: Int32Array;
  scrollY: number;
  selected: number;
  selectedBlocking: number;
  filter: TaskMarks | null;
  /** The calls of the highlighted handler (handler-highlight.ts marks), or null. */
  highlight: TaskMarks | null;
  collapsed: TaskMarks;
  hatch: CanvasPattern | null;
  ticks: number[];
  font: string;
  smallFont: string;
  dpr: number;
  /** Pixel bands for the event-loop lane and the charts, and the theme's colours as RGBA words. */
  pixels: { loop: PixelBand; lag: PixelBand; conc: PixelBand };
  rgba: { rowAlt: number; grid: number; run: number; lag: number; lagFill: number; conc: number; concFill: number };
}

export const px = (f: Frame, t: number) => (t - f.t0) * f.kx;
