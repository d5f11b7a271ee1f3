// Task lanes: a bar per task from start to end in the wait colour, its run segments over it in the
// run colour (segments under a pixel merge, and a run is never thinner than a pixel, so a task
// that ran at all shows it), its outcome, and its duration after the bar. Resource lanes: a thin
// line per timer or handle from creation to end with a tick per callback.
import { OUTCOME_PENDING, OUTCOME_REJECTED, SEGMENT_RUN } from '../src/view-model/types.js';
import { formatDuration } from './format.js';
import { BAR_H, BAR_Y, ROW_H } from './geometry.js';
import type { Frame } from './frame.js';
import { CONTAINS, HIGHLIGHTED } from './handler-highlight.js';
import { drawThreadHeader } from './draw-thread-header.js';
import { ANCESTOR, isTaskRow, isThreadRow, resourceGroupOf, threadOfRow } from './rows.js';
import { lowerBound } from './sorted.js';

export function visibleRowRange(f: Frame): [number, number] {
  const first = Math.max(0, Math.floor(f.scrollY / ROW_H));
  const last = Math.min(f.rows.length, Math.ceil((f.scrollY + f.b.lanesBottom - f.b.lanesTop) / ROW_H));
  return [first, last];
}

export function drawLanes(f: Frame): void {
  const { ctx, b } = f;
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, b.lanesTop, b.width, b.lanesBottom - b.lanesTop);
  ctx.clip();
  const [first, last] = visibleRowRange(f);
  for (let r = first; r < last; r++) {
    const y = b.lanesTop + r * ROW_H - f.scrollY;
    if (r % 2 === 1) {
      ctx.fillStyle = f.p.rowAlt;
      ctx.fillRect(0, y, b.width, ROW_H);
    }
    const row = f.rows[r]!;
    if (isTaskRow(row) && f.highlight) drawHighlightBand(f, row, y);
    if (isTaskRow(row)) drawTask(f, row, y);
    else if (isThreadRow(row)) drawThreadHeader(f, f.trace.threads[threadOfRow(row)]!, y);
    else drawGroup(f, resourceGroupOf(row), y);
  }
  ctx.restore();
}

function drawTask(f: Frame, i: number, y: number): void {
  const { ctx, trace, p } = f;
  const c = trace.c;
  const start = c.taskStart[i]!;
  const end = c.taskEnd[i]!;
  if (end < f.t0 || start > f.t1) return;
  const w = f.b.width;
  let xs = (start - f.t0) * f.kx;
  let xe = (end - f.t0) * f.kx;
  if (xe - xs < 1) xe = xs + 1;
  const clippedStart = Math.max(xs, -4);
  const clippedEnd = Math.min(xe, w + 4);
  const top = y + BAR_Y;
  const dim = f.filter !== null && f.filter[i] === ANCESTOR;
  if (dim) ctx.globalAlpha = 0.4;

  ctx.fillStyle = p.wait;
  ctx.fillRect(clippedStart, top, clippedEnd - clippedStart, BAR_H);
  ctx.strokeStyle = p.waitEdge;
  ctx.lineWidth = 1;
  ctx.strokeRect(clippedStart + 0.5, top + 0.5, Math.max(0, clippedEnd - clippedStart - 1), BAR_H - 1);

  ctx.fillStyle = p.run;
  drawRuns(f, i, top, BAR_H);

  const outcome = c.taskOutcome[i]!;
  if (outcome === OUTCOME_REJECTED) {
    ctx.strokeStyle = p.rejected;
    ctx.lineWidth = 2;
    ctx.strokeRect(clippedStart + 1, top + 1, Math.max(0, clippedEnd - clippedStart - 2), BAR_H - 2);
    // A cross at the end: the outcome does not rely on colour alone.
    if (xe > -8 && xe < w + 8) {
      const cx = xe + 7;
      const cy = top + BAR_H / 2;
      ctx.beginPath();
      ctx.moveTo(cx - 4, cy - 4);
      ctx.lineTo(cx + 4, cy + 4);
      ctx.moveTo(cx + 4, cy - 4);
      ctx.lineTo(cx - 4, cy + 4);
      ctx.stroke();
    }
  } else if (outcome === OUTCOME_PENDING && xe > -8 && xe < w + 8) {
    ctx.strokeStyle = p.muted;
    ctx.setLineDash([3, 3]);
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.moveTo(xe + 0.5, top - 2);
    ctx.lineTo(xe + 0.5, top + BAR_H + 2);
    ctx.stroke();
    ctx.setLineDash([]);
  }
  if (f.highlight !== null && f.highlight[i] === HIGHLIGHTED && i !== f.selected) {
    ctx.strokeStyle = p.highlight;
    ctx.lineWidth = 2;
    ctx.strokeRect(clippedStart - 1, top - 1, clippedEnd - clippedStart + 2, BAR_H + 2);
  }
  if (i === f.selected) {
    ctx.strokeStyle = p.selection;
    ctx.lineWidth = 2;
    ctx.strokeRect(clippedStart - 1, top - 1, clippedEnd - clippedStart + 2, BAR_H + 2);
  }

  // The duration after the bar, where the row is empty; inside its end when the bar reaches the edge.
  const label = outcome === OUTCOME_REJECTED ? `${formatDuration(end - start)} · rejected` : outcome === OUTCOME_PENDING ? `${formatDuration(end - start)} · still pending` : formatDuration(end - start);
  ctx.font = f.smallFont;
  ctx.textBaseline = 'middle';
  const tw = ctx.measureText(label).width;
  const tx = xe + (outcome === OUTCOME_REJECTED ? 16 : 6);
  if (tx > -tw && tx + tw < w - 4) {
    ctx.fillStyle = outcome === OUTCOME_REJECTED ? p.rejected : p.muted;
    ctx.fillText(label, tx, top + BAR_H / 2 + 0.5);
  } else if (clippedEnd - Math.max(clippedStart, 0) > tw + 16) {
    const right = Math.min(xe, w) - 6;
    ctx.fillStyle = p.bg;
    ctx.fillRect(right - tw - 4, top + 1, tw + 8, BAR_H - 2);
    ctx.fillStyle = p.text;
    ctx.textAlign = 'right';
    ctx.fillText(label, right, top + BAR_H / 2 + 0.5);
    ctx.textAlign = 'left';
  }
  if (dim) ctx.globalAlpha = 1;
}

/**
 * The lane of a highlighted handler's call: tinted across the plot, so the calls stand out among
 * thousands of lanes; a folded lane that hides calls gets a thinner strip.
 */
function drawHighlightBand(f: Frame, i: number, y: number): void {
  const mark = f.highlight![i];
  if (mark === HIGHLIGHTED) {
    f.ctx.fillStyle = f.p.highlightBg;
    f.ctx.fillRect(0, y, f.b.width, ROW_H);
  } else if (mark === CONTAINS && f.collapsed[i]) {
    f.ctx.fillStyle = f.p.highlightBg;
    f.ctx.fillRect(0, y + ROW_H - 4, f.b.width, 4);
  }
}

/** Run segments of task i, merged per pixel; skips whole stretches that fall in one pixel. */
function drawRuns(f: Frame, i: number, top: number, height: number): void {
  const { ctx, trace } = f;
  const { segStart, segEnd, segKind } = trace.c;
  const lo = trace.c.taskSegOff[i]!;
  const hi = trace.c.taskSegOff[i + 1]!;
  let s = lowerBound(segEnd, f.t0, lo, hi);
  let runStart = -Infinity;
  let runEnd = -Infinity;
  const w = f.b.width;
  while (s < hi) {
    const a = segStart[s]!;
    if (a > f.t1) break;
    if (segKind[s] === SEGMENT_RUN) {
      let xs = (a - f.t0) * f.kx;
      let xe = (segEnd[s]! - f.t0) * f.kx;
      if (xe - xs < 1) xe = xs + 1;
      if (xs < -2) xs = -2;
      if (xe > w + 2) xe = w + 2;
      if (xs <= runEnd + 0.5) {
        if (xe > runEnd) runEnd = xe;
      } else {
        if (runEnd > runStart) ctx.fillRect(runStart, top, runEnd - runStart, height);
        runStart = xs;
        runEnd = xe;
      }
    }
    s++;
    // Everything ending inside the current merged run changes nothing on screen: jump past it.
    if (s < hi && runEnd > runStart && (segEnd[s]! - f.t0) * f.kx < runEnd) {
      s = lowerBound(segEnd, f.t0 + runEnd / f.kx, s, hi);
    }
  }
  if (runEnd > runStart) ctx.fillRect(runStart, top, runEnd - runStart, height);
}

function drawGroup(f: Frame, g: number, y: number): void {
  const { ctx, trace, p } = f;
  const c = trace.c;
  const r0 = c.groupResOff[g]!;
  const r1 = c.groupResOff[g + 1]!;
  const mid = y + ROW_H / 2;
  const w = f.b.width;
  ctx.fillStyle = p.resource;
  ctx.globalAlpha = 0.55;
  let lastTick = -1;
  const ticks: number[] = [];
  for (let r = r0; r < r1; r++) {
    const created = c.resCreated[r]!;
    const cb0 = c.resCbOff[r]!;
    const cb1 = c.resCbOff[r + 1]!;
    const ended = c.resEnd[r]!;
    const end = Number.isFinite(ended) ? ended : cb1 > cb0 ? c.cbTime[cb1 - 1]! : f.trace.wall;
    if (end < f.t0 || created > f.t1) continue;
    const xs = Math.max(-2, (created - f.t0) * f.kx);
    const xe = Math.min(w + 2, Math.max((end - f.t0) * f.kx, xs + 1));
    ctx.fillRect(xs, mid - 1.5, xe - xs, 3);
    const first = lowerBound(c.cbTime, f.t0, cb0, cb1);
    for (let k = first; k < cb1; k++) {
      const t = c.cbTime[k]!;
      if (t > f.t1) break;
      const x = Math.round((t - f.t0) * f.kx);
      if (x === lastTick) continue;
      lastTick = x;
      ticks.push(x);
    }
  }
  ctx.globalAlpha = 1;
  for (const x of ticks) ctx.fillRect(x - 0.5, mid - 6, 2, 12);
}
