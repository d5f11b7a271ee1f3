// The event-loop lane: for each pixel column, how much of its time the single thread spent
// running task code (bar height = busy share), from prefix sums in O(log n) per column. When
// zoomed in far enough the columns become solid blocks and carry the name of the task that ran.
import type { ViewHistory as History } from '../src/view-model/types.js';
import type { Frame } from './frame.js';

let heights = new Float64Array(0);

export function drawLoopLane(f: Frame): void {
  const { ctx, trace, p, b } = f;
  const top = b.loopTop + 4;
  const height = b.loopBottom - b.loopTop - 8;
  const msPerPx = 1 / f.kx;
  const w = Math.ceil(b.width);
  if (heights.length < w) heights = new Float64Array(w + 64);
  heights.fill(0, 0, w);
  // Columns outside the run are empty; skip straight to where the run has data.
  const firstPx = Math.max(0, Math.floor((0 - f.t0) * f.kx));
  const lastPx = Math.min(w, Math.ceil((trace.wall - f.t0) * f.kx) + 1);
  // Stretches of columns busy all the way (wide enough for a name).
  const solid: [number, number][] = [];
  let solidFrom = -1;
  const history = trace.header.history;
  for (let x = firstPx; x < lastPx; x++) {
    const a = f.t0 + x * msPerPx;
    let share = trace.busyBetween(a, a + msPerPx) / msPerPx;
    if (history && a < history.untilMs) share = Math.max(share, historyBusy(history, a, a + msPerPx));
    heights[x] = share <= 0 ? 0 : Math.max(4, Math.round(Math.min(1, share) * height));
    if (share > 0.98) {
      if (solidFrom < 0) solidFrom = x;
    } else if (solidFrom >= 0) {
      if (x - solidFrom >= 48) solid.push([solidFrom, x]);
      solidFrom = -1;
    }
  }
  if (solidFrom >= 0 && lastPx - solidFrom >= 48) solid.push([solidFrom, lastPx]);
  const grid = f.ticks.map((t) => Math.round((t - f.t0) * f.kx));
  f.pixels.loop.paint(ctx, f.dpr, b.loopTop, b.width, top + height - b.loopTop, heights, { background: f.rgba.rowAlt, fill: f.rgba.run, line: 0, grid: f.rgba.grid }, grid);
  // Under the bars: the idle line, then the lane's margin.
  ctx.fillStyle = p.rowAlt;
  ctx.fillRect(0, top + height, b.width, b.loopBottom - top - height);
  ctx.fillStyle = p.grid;
  ctx.fillRect(0, top + height, b.width, 1);

  // A live page's time before its horizon: aggregates, said once at its start.
  if (history) {
    const right = Math.min(b.width, (history.untilMs - f.t0) * f.kx);
    const left = Math.max(0, -f.t0 * f.kx);
    if (right - left > 160) {
      ctx.font = f.smallFont;
      ctx.textBaseline = 'top';
      ctx.fillStyle = p.text;
      ctx.fillText(`older: ${history.foldedTasks.toLocaleString('en-US')} tasks as ${history.intervalMs / 1000}-s aggregates`, left + 4, b.loopTop + 2);
    }
  }

  // The name of the task that ran most of each wide busy stretch.
  ctx.font = f.smallFont;
  ctx.textBaseline = 'middle';
  for (const [from, to] of solid.slice(0, 200)) {
    const k = trace.loopIntervalAt(f.t0 + ((from + to) / 2) * msPerPx, 0);
    const owner = k >= 0 ? trace.c.loopOwner[k]! : -1;
    if (owner < 0) continue;
    ctx.save();
    ctx.beginPath();
    ctx.rect(from + 3, top, to - from - 6, height);
    ctx.clip();
    ctx.fillStyle = p.onRun;
    ctx.fillText(trace.name(owner), from + 5, top + height / 2);
    ctx.restore();
  }
}

/** The busy share of the history's intervals over [a, b), weighted by overlap. */
function historyBusy(history: History, a: number, b: number): number {
  const to = Math.min(b, history.untilMs);
  if (!(to > a)) return 0;
  let busy = 0;
  const first = Math.max(0, Math.floor(a / history.intervalMs));
  for (let k = first; k < history.rows.length && k * history.intervalMs < to; k++) {
    const from = Math.max(a, k * history.intervalMs);
    const until = Math.min(to, (k + 1) * history.intervalMs);
    if (until > from) busy += history.rows[k]!.busyShare * (until - from);
  }
  return busy / (b - a);
}
