// The charts under the lanes, on the same time axis: event-loop lag (per pixel the worst sample)
// and tasks in flight (a step function; per pixel its maximum).
import type { Frame } from './frame.js';
import { formatDuration } from './format.js';
import { lowerBound, upperBound } from './sorted.js';
import type { Trace } from './trace.js';

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const e = Math.pow(10, Math.floor(Math.log10(value)));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * e >= value) return m * e;
  return 10 * e;
}

export function lagScaleMax(trace: Trace): number {
  return niceMax(Math.max(trace.header.summary.lagMaxMs, 1));
}

export function concScaleMax(trace: Trace): number {
  return Math.max(1, trace.header.summary.peakConcurrency);
}

let columns = new Float64Array(0);

function columnBuffer(width: number): Float64Array {
  if (columns.length < width) columns = new Float64Array(Math.ceil(width) + 64);
  return columns;
}

/** Values per pixel column (NaN: none) to bar heights within a chart of `h` pixels. */
function toHeights(values: Float64Array, width: number, max: number, h: number): Float64Array {
  for (let x = 0; x < width; x++) {
    const v = values[x]!;
    values[x] = Number.isNaN(v) ? 0 : Math.max(v > 0 ? 1 : 0, Math.round((Math.min(v, max) / max) * h));
  }
  return values;
}

function baseline(f: Frame, top: number, bottom: number): void {
  const { ctx, p, b } = f;
  ctx.fillStyle = p.rowAlt;
  ctx.fillRect(0, top, b.width, bottom - top);
  ctx.fillStyle = p.grid;
  ctx.fillRect(0, bottom - 1, b.width, 1);
}

export function drawLagChart(f: Frame): void {
  const { ctx, trace, p, b } = f;
  const top = b.lagTop;
  const bottom = b.lagBottom;
  const { lagTime, lagValue } = trace.c;
  const n = lagTime.length;
  if (n === 0) return baseline(f, top, bottom);
  const max = lagScaleMax(trace);
  const h = bottom - top - 4;
  const y = (v: number) => bottom - 1 - (Math.min(v, max) / max) * h;
  const first = Math.max(0, upperBound(lagTime, f.t0) - 1);
  const last = Math.min(n - 1, lowerBound(lagTime, f.t1));
  if (last - first > b.width) {
    // More samples than pixels: the worst one per column.
    const width = Math.ceil(b.width);
    const cols = columnBuffer(width);
    if (!trace.lagPyramid.columns(f.t0, 1 / f.kx, width, cols)) {
      cols.fill(Number.NaN, 0, width);
      for (let i = first; i <= last; i++) {
        const c = Math.floor((lagTime[i]! - f.t0) * f.kx);
        if (c < 0 || c >= width) continue;
        const v = lagValue[i]!;
        if (!(cols[c]! >= v)) cols[c] = v;
      }
    }
    const grid = f.ticks.map((t) => Math.round((t - f.t0) * f.kx));
    f.pixels.lag.paint(ctx, f.dpr, top, b.width, bottom - 1 - top, toHeights(cols, width, max, h), { background: f.rgba.rowAlt, fill: f.rgba.lagFill, line: f.rgba.lag, grid: f.rgba.grid }, grid);
    ctx.fillStyle = p.grid;
    ctx.fillRect(0, bottom - 1, b.width, 1);
  } else {
    baseline(f, top, bottom);
    // Steps: a sample's lag built up since the sample before it (the first covers as long a
    // stretch as the one after it).
    const before = first > 0 ? lagTime[first - 1]! : n > 1 ? Math.max(0, 2 * lagTime[0]! - lagTime[1]!) : lagTime[0]!;
    let x = Math.max(-1, (before - f.t0) * f.kx);
    ctx.beginPath();
    ctx.moveTo(x, bottom - 1);
    for (let i = first; i <= last; i++) {
      const yy = y(lagValue[i]!);
      ctx.lineTo(x, yy);
      x = Math.min(b.width + 1, (lagTime[i]! - f.t0) * f.kx);
      ctx.lineTo(x, yy);
    }
    ctx.lineTo(x, bottom - 1);
    ctx.closePath();
    ctx.fillStyle = p.lagFill;
    ctx.fill();
    ctx.strokeStyle = p.lag;
    ctx.lineWidth = 1.5;
    ctx.stroke();
  }

  // The blocking threshold, for scale.
  const threshold = trace.header.meta.blockingThresholdMs;
  if (threshold > 0 && threshold < max) {
    const ty = Math.round(y(threshold)) + 0.5;
    ctx.strokeStyle = p.muted;
    ctx.lineWidth = 1;
    ctx.setLineDash([4, 4]);
    ctx.beginPath();
    ctx.moveTo(0, ty);
    ctx.lineTo(b.width, ty);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.font = f.smallFont;
    ctx.fillStyle = p.muted;
    ctx.textBaseline = 'bottom';
    ctx.textAlign = 'right';
    ctx.fillText(`${formatDuration(threshold)} (blocking threshold)`, b.width - 6, ty - 2);
    ctx.textAlign = 'left';
  }
}

export function drawConcurrencyChart(f: Frame): void {
  const { ctx, trace, p, b } = f;
  const top = b.concTop;
  const bottom = b.concBottom;
  const { concTime, concValue } = trace.c;
  const n = concTime.length;
  if (n === 0) return baseline(f, top, bottom);
  const max = concScaleMax(trace);
  const h = bottom - top - 4;
  const y = (v: number) => bottom - 1 - (v / max) * h;
  const first = Math.max(0, upperBound(concTime, f.t0) - 1);
  const last = Math.min(n - 1, lowerBound(concTime, f.t1));
  const x0 = Math.max(-1, (concTime[first]! - f.t0) * f.kx);
  if (last - first > b.width) {
    // Per pixel column the maximum of the steps that touch it.
    const msPerPx = 1 / f.kx;
    const width = Math.ceil(b.width);
    const cols = columnBuffer(width);
    if (!trace.concPyramid.columns(f.t0, msPerPx, width, cols)) {
      cols.fill(Number.NaN, 0, width);
      const from = Math.max(0, Math.floor(x0));
      const to = Math.min(width, Math.ceil((concTime[last]! - f.t0) * f.kx));
      let i = first;
      for (let x = from; x < to; x++) {
        const a = f.t0 + x * msPerPx;
        const lo = Math.max(first, upperBound(concTime, a, i) - 1);
        const hi = Math.max(lo, lowerBound(concTime, a + msPerPx, lo) - 1);
        cols[x] = Math.max(0, trace.concMax.max(lo, hi));
        i = lo;
      }
    }
    const grid = f.ticks.map((t) => Math.round((t - f.t0) * f.kx));
    f.pixels.conc.paint(ctx, f.dpr, top, b.width, bottom - 1 - top, toHeights(cols, width, max, h), { background: f.rgba.rowAlt, fill: f.rgba.concFill, line: f.rgba.conc, grid: f.rgba.grid }, grid);
    ctx.fillStyle = p.grid;
    ctx.fillRect(0, bottom - 1, b.width, 1);
    return;
  }
  baseline(f, top, bottom);
  ctx.beginPath();
  ctx.moveTo(x0, bottom - 1);
  let prevY = bottom - 1;
  for (let i = first; i <= last; i++) {
    const x = Math.max(-1, Math.min(b.width + 1, (concTime[i]! - f.t0) * f.kx));
    ctx.lineTo(x, prevY);
    prevY = y(concValue[i]!);
    ctx.lineTo(x, prevY);
  }
  const xEnd = Math.min(b.width + 1, last + 1 < n ? (concTime[last + 1]! - f.t0) * f.kx : b.width + 1);
  ctx.lineTo(xEnd, prevY);
  ctx.lineTo(xEnd, bottom - 1);
  ctx.closePath();
  ctx.fillStyle = p.concFill;
  ctx.fill();
  ctx.strokeStyle = p.conc;
  ctx.lineWidth = 1.5;
  ctx.stroke();
}
