// What is under the pointer: a task's segment, a resource lane, the event loop, a chart, a
// blocking stretch. Used by the tooltip and by clicks.
import type { Bands } from './geometry.js';
import { ROW_H, BAR_Y, BAR_H } from './geometry.js';
import type { Trace } from './trace.js';
import { isTaskRow, isThreadRow, resourceGroupOf, threadOfRow } from './rows.js';
import { lowerBound } from './sorted.js';

export type Hit =
  | { kind: 'task'; task: number; segment: number; t: number; blocking: number }
  | { kind: 'group'; group: number; t: number; blocking: number }
  | { kind: 'thread'; thread: number; t: number }
  | { kind: 'loop'; interval: number; t: number; from: number; to: number; busy: number; blocking: number }
  | { kind: 'lag'; t: number; value: number; at: number }
  | { kind: 'conc'; t: number; value: number }
  | { kind: 'blocking'; blocking: number; t: number };

export interface HitContext {
  trace: Trace;
  b: Bands;
  t0: number;
  kx: number;
  rows: Int32Array;
  scrollY: number;
}

export function blockingAt(trace: Trace, t: number, slackMs: number): number {
  const list = trace.header.blocking;
  for (let k = 0; k < list.length; k++) {
    const b = list[k]!;
    if (t >= b.startMs - slackMs && t <= b.endMs + slackMs) return k;
  }
  return -1;
}

export function hitTest(ctx: HitContext, x: number, y: number): Hit | null {
  const { trace, b } = ctx;
  const t = ctx.t0 + x / ctx.kx;
  const slack = 3 / ctx.kx;
  const blocking = blockingAt(trace, t, 1.5 / ctx.kx);
  if (y >= b.loopTop && y < b.loopBottom) {
    const interval = trace.loopIntervalAt(t, slack);
    const from = t - 0.5 / ctx.kx;
    const to = t + 0.5 / ctx.kx;
    return { kind: 'loop', interval, t, from, to, busy: trace.busyBetween(from, to), blocking };
  }
  if (y >= b.lanesTop && y < b.lanesBottom) {
    const r = Math.floor((y - b.lanesTop + ctx.scrollY) / ROW_H);
    const inRow = (y - b.lanesTop + ctx.scrollY) % ROW_H;
    if (r >= 0 && r < ctx.rows.length) {
      const row = ctx.rows[r]!;
      if (isTaskRow(row)) {
        const c = trace.c;
        const onBar = inRow >= BAR_Y - 2 && inRow <= BAR_Y + BAR_H + 2;
        if (onBar && t >= c.taskStart[row]! - slack && t <= Math.max(c.taskEnd[row]!, c.taskStart[row]! + 1 / ctx.kx) + slack) {
          return { kind: 'task', task: row, segment: trace.segmentAt(row, t, slack), t, blocking };
        }
      } else if (isThreadRow(row)) {
        return { kind: 'thread', thread: threadOfRow(row), t };
      } else {
        return { kind: 'group', group: resourceGroupOf(row), t, blocking };
      }
    }
    return blocking >= 0 ? { kind: 'blocking', blocking, t } : null;
  }
  if (y >= b.lagTop && y < b.lagBottom) {
    const { lagTime, lagValue } = trace.c;
    let value = 0;
    let at = Number.NaN;
    // The worst sample within a few pixels.
    for (let i = lowerBound(lagTime, t - slack), n = lagTime.length; i < n; i++) {
      if (lagTime[i]! > t + slack) break;
      if (lagValue[i]! >= value) {
        value = lagValue[i]!;
        at = lagTime[i]!;
      }
    }
    return { kind: 'lag', t, value, at };
  }
  if (y >= b.concTop && y < b.concBottom) return { kind: 'conc', t, value: trace.concurrencyAt(t) };
  return blocking >= 0 ? { kind: 'blocking', blocking, t } : null;
}
