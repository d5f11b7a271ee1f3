// Messages between lane groups as arrows: from the sending task's lane at the send to the
// receiving task's lane at the arrival (dashed: where a worker or child was started, to its group) (docs/viewer.md, "Worker threads and child processes").
// A task that is not on screen as a lane (folded into an ancestor, or its group folded) is
// stood in for by its nearest shown ancestor, else by its group's header row.
import type { ViewMessage } from '../src/view-model/types.js';
import type { Frame } from './frame.js';
import { ROW_H } from './geometry.js';
import { isTaskRow, isThreadRow, threadOfRow } from './rows.js';
import type { Trace } from './trace.js';

const HEAD = 5;

/** Row position (index in rows) of every task and every group header; -1: not shown. */
interface Positions {
  rows: Int32Array;
  task: Int32Array;
  group: Int32Array;
}

let cached: Positions | null = null;

function positions(trace: Trace, rows: Int32Array): Positions {
  if (cached !== null && cached.rows === rows && cached.task.length === trace.n) return cached;
  const task = new Int32Array(trace.n).fill(-1);
  const group = new Int32Array(trace.threads.length).fill(-1);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    if (isTaskRow(row)) task[row] = r;
    else if (isThreadRow(row)) group[threadOfRow(row)] = r;
  }
  cached = { rows, task, group };
  return cached;
}

function rowOf(trace: Trace, at: Positions, group: number, task: number): number {
  for (let t = task; t >= 0; t = trace.c.taskParent[t]!) if (at.task[t]! >= 0) return at.task[t]!;
  return at.group[group] ?? -1;
}

/** Draws the arrows of the messages in the window; returns how many were drawn. */
export function drawArrows(f: Frame): number {
  const messages: readonly ViewMessage[] = f.trace.header.messages ?? [];
  if (messages.length === 0 || f.trace.threads.length === 0) return 0;
  const { ctx, b } = f;
  const at = positions(f.trace, f.rows);
  const yOf = (r: number) => b.lanesTop + r * ROW_H - f.scrollY + ROW_H / 2;
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, b.lanesTop, b.width, b.lanesBottom - b.lanesTop);
  ctx.clip();
  ctx.strokeStyle = f.p.text;
  ctx.fillStyle = f.p.text;
  ctx.globalAlpha = 0.6;
  ctx.lineWidth = 1.25;
  let drawn = 0;
  for (const m of messages) {
    if (m.toGroup < 0) continue;
    const x1 = (m.fromMs - f.t0) * f.kx;
    // Clocks of two processes can disagree by a tick: an arrow never points back in time.
    const x2 = Math.max(x1, (m.toMs - f.t0) * f.kx);
    if ((x1 < 0 && x2 < 0) || (x1 > b.width && x2 > b.width)) continue;
    const r1 = rowOf(f.trace, at, m.fromGroup, m.fromTask);
    const r2 = rowOf(f.trace, at, m.toGroup, m.toTask);
    if (r1 < 0 || r2 < 0 || r1 === r2) continue;
    const y1 = yOf(r1);
    const y2 = yOf(r2);
    if ((y1 < b.lanesTop && y2 < b.lanesTop) || (y1 > b.lanesBottom && y2 > b.lanesBottom)) continue;
    ctx.beginPath();
    ctx.arc(x1, y1, 2, 0, Math.PI * 2);
    ctx.fill();
    ctx.beginPath();
    // A worker's or child's start: dashed, from the task that started it.
    ctx.setLineDash(m.start ? [4, 3] : []);
    ctx.moveTo(x1, y1);
    ctx.lineTo(x2, y2);
    ctx.stroke();
    const angle = Math.atan2(y2 - y1, x2 - x1);
    ctx.beginPath();
    ctx.moveTo(x2, y2);
    ctx.lineTo(x2 - HEAD * Math.cos(angle - 0.45), y2 - HEAD * Math.sin(angle - 0.45));
    ctx.lineTo(x2 - HEAD * Math.cos(angle + 0.45), y2 - HEAD * Math.sin(angle + 0.45));
    ctx.closePath();
    ctx.fill();
    drawn++;
  }
  ctx.restore();
  return drawn;
}
