// Blocking stretches: a hatched band across every lane and chart (the loop could run nothing
// else), solid in the event-loop lane, labelled with the function and line when there is room.
import type { Frame } from './frame.js';
import { formatDuration } from './format.js';

export function blockingLabel(fn: string, file: string, line: number, durationMs: number): string {
  const base = file.split('/').pop() ?? file;
  return `blocked ${formatDuration(durationMs)} · ${fn || '(anonymous)'} ${base}:${line}`;
}

export function makeHatch(ctx: CanvasRenderingContext2D, color: string): CanvasPattern | null {
  const tile = document.createElement('canvas');
  tile.width = 8;
  tile.height = 8;
  const t = tile.getContext('2d');
  if (!t) return null;
  t.strokeStyle = color;
  t.lineWidth = 1.5;
  t.beginPath();
  t.moveTo(-2, 10);
  t.lineTo(10, -2);
  t.moveTo(-2, 2);
  t.lineTo(2, -2);
  t.moveTo(6, 10);
  t.lineTo(10, 6);
  t.stroke();
  return ctx.createPattern(tile, 'repeat');
}

export function drawBlocking(f: Frame): void {
  const { ctx, trace, p, b } = f;
  const list = trace.header.blocking;
  for (let k = 0; k < list.length; k++) {
    const bl = list[k]!;
    const end = bl.endMs;
    if (end < f.t0 || bl.startMs > f.t1) continue;
    let xs = (bl.startMs - f.t0) * f.kx;
    let xe = (end - f.t0) * f.kx;
    if (xe - xs < 3) {
      const mid = (xs + xe) / 2;
      xs = mid - 1.5;
      xe = mid + 1.5;
    }
    xs = Math.max(-2, xs);
    xe = Math.min(b.width + 2, xe);
    ctx.fillStyle = p.blockingFill;
    ctx.fillRect(xs, b.lanesTop, xe - xs, b.concBottom - b.lanesTop);
    if (f.hatch) {
      ctx.fillStyle = f.hatch;
      ctx.fillRect(xs, b.lanesTop, xe - xs, b.concBottom - b.lanesTop);
    }
    ctx.fillStyle = p.blocking;
    ctx.fillRect(xs, b.loopTop + 4, xe - xs, b.loopBottom - b.loopTop - 8);
    // Solid edges across the lanes; over the charts only the tint, so the lag it caused shows.
    ctx.fillRect(xs, b.lanesTop, 1.5, b.lanesBottom - b.lanesTop);
    ctx.fillRect(xe - 1.5, b.lanesTop, 1.5, b.lanesBottom - b.lanesTop);
    if (k === f.selectedBlocking) {
      ctx.strokeStyle = p.selection;
      ctx.lineWidth = 2;
      ctx.strokeRect(xs - 1, b.loopTop + 3, xe - xs + 2, b.loopBottom - b.loopTop - 6);
    }
    const text = blockingLabel(bl.function, bl.file, bl.line, bl.durationMs);
    ctx.font = f.smallFont;
    const tw = ctx.measureText(text).width;
    if (xe - xs > tw + 10) {
      ctx.save();
      ctx.beginPath();
      ctx.rect(xs, b.loopTop, xe - xs, b.loopBottom - b.loopTop);
      ctx.clip();
      ctx.fillStyle = '#ffffff';
      ctx.textBaseline = 'middle';
      ctx.fillText(text, Math.max(xs, 0) + 5, (b.loopTop + b.loopBottom) / 2);
      ctx.restore();
    } else {
      // A warning mark above the band when the label does not fit.
      ctx.fillStyle = p.blocking;
      ctx.font = f.font;
      ctx.textBaseline = 'top';
      ctx.fillText('⚠', (xs + xe) / 2 - 6, b.lanesTop + 2);
    }
  }
}
