// A thread's lane group header: the thread's own event-loop lane in one row, on the shared time
// axis. Bars where the thread ran task code (its busy intervals, merged per pixel, at least a
// pixel wide), its blocking stretches over them in the blocking colour, and along the bottom its
// lag strip: each probe sample as a tick whose strength is its lag against the blocking threshold.
// A child process that is not Node has only its span, drawn in the waiting colour.
import type { ViewThread } from '../src/view-model/types.js';
import { ROW_H } from './geometry.js';
import type { Frame } from './frame.js';

const BUSY_TOP = 3;
const BUSY_H = ROW_H - 10;
const LAG_TOP = ROW_H - 5;
const LAG_H = 4;

export function drawThreadHeader(f: Frame, thread: ViewThread, y: number): void {
  const { ctx, p } = f;
  const w = f.b.width;
  ctx.fillStyle = p.rowAlt;
  ctx.fillRect(0, y, w, ROW_H);
  ctx.fillStyle = p.grid;
  ctx.fillRect(0, y + ROW_H - 1, w, 1);

  // A program that is not Node: only when it ran is known, drawn as a wait is (not the loop's work).
  if (thread.span) {
    const xs = Math.max(-2, (thread.span[0] - f.t0) * f.kx);
    const xe = Math.min(w + 2, Math.max((thread.span[1] - f.t0) * f.kx, xs + 1));
    if (xe > 0 && xs < w) {
      ctx.fillStyle = p.wait;
      ctx.fillRect(xs, y + BUSY_TOP, xe - xs, BUSY_H);
    }
  }

  ctx.fillStyle = p.run;
  let runStart = -Infinity;
  let runEnd = -Infinity;
  const busy = thread.busy;
  for (let k = 0; k < busy.length; k += 2) {
    const a = busy[k]!;
    const e = busy[k + 1]!;
    if (e < f.t0) continue;
    if (a > f.t1) break;
    const xs = Math.max(-2, (a - f.t0) * f.kx);
    const xe = Math.min(w + 2, Math.max((e - f.t0) * f.kx, xs + 1));
    if (xs <= runEnd + 0.5) runEnd = Math.max(runEnd, xe);
    else {
      if (runEnd > runStart) ctx.fillRect(runStart, y + BUSY_TOP, runEnd - runStart, BUSY_H);
      runStart = xs;
      runEnd = xe;
    }
  }
  if (runEnd > runStart) ctx.fillRect(runStart, y + BUSY_TOP, runEnd - runStart, BUSY_H);

  ctx.fillStyle = p.blocking;
  for (const b of thread.blocking) {
    const xs = (b.startMs - f.t0) * f.kx;
    const xe = (b.endMs - f.t0) * f.kx;
    if (xe < 0 || xs > w) continue;
    ctx.fillRect(Math.max(-2, xs), y + BUSY_TOP, Math.max(1, Math.min(w + 2, xe) - Math.max(-2, xs)), BUSY_H);
  }

  const threshold = Math.max(f.trace.header.meta.blockingThresholdMs, 1);
  const lag = thread.lagSamples;
  let lastX = -1;
  for (let k = 0; k < lag.length; k += 2) {
    const t = lag[k]!;
    if (t < f.t0) continue;
    if (t > f.t1) break;
    const x = Math.round((t - f.t0) * f.kx);
    const strength = Math.min(1, lag[k + 1]! / threshold);
    if (x === lastX || strength < 0.05) continue;
    lastX = x;
    ctx.globalAlpha = 0.25 + 0.75 * strength;
    ctx.fillRect(x - 1, y + LAG_TOP, 2, LAG_H);
  }
  ctx.globalAlpha = 1;
}
