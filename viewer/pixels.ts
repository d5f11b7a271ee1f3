// Bar-like bands drawn straight into pixels: the event-loop lane and the charts are one column
// per pixel, which as canvas rectangles would be thousands of paint operations per frame; written
// into an ImageData they are one putImageData. Colours are resolved to RGBA once per theme.

let probe: CanvasRenderingContext2D | null = null;

/** A CSS colour as RGBA bytes, blended over `under` when translucent. */
export function rgba(color: string, under?: number): number {
  probe ??= document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  if (!probe) return 0xff000000;
  probe.clearRect(0, 0, 1, 1);
  probe.fillStyle = color;
  probe.fillRect(0, 0, 1, 1);
  const [r, g, b, a] = probe.getImageData(0, 0, 1, 1).data as unknown as [number, number, number, number];
  if (a === 255 || under === undefined) return pack(r, g, b, a);
  const ur = under & 0xff;
  const ug = (under >>> 8) & 0xff;
  const ub = (under >>> 16) & 0xff;
  const t = a / 255;
  return pack(Math.round(r * t + ur * (1 - t)), Math.round(g * t + ug * (1 - t)), Math.round(b * t + ub * (1 - t)), 255);
}

/** Little-endian RGBA in one 32-bit word, as ImageData's Uint32 view reads it. */
function pack(r: number, g: number, b: number, a: number): number {
  return ((a << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

export interface ColumnStyle {
  background: number;
  fill: number;
  /** The outline along the tops of the columns (0: none). */
  line: number;
  grid: number;
}

export class PixelBand {
  private image: ImageData | null = null;
  private words = new Uint32Array(0);

  /**
   * Paints a band of `heights` (CSS px per CSS column; NaN or <= 0: empty) at CSS (0, top), size
   * width x height, grid lines at the CSS x positions in `grid`.
   */
  paint(ctx: CanvasRenderingContext2D, dpr: number, top: number, width: number, height: number, heights: Float64Array, style: ColumnStyle, grid: readonly number[]): void {
    const W = Math.max(1, Math.round(width * dpr));
    const H = Math.max(1, Math.round(height * dpr));
    if (!this.image || this.image.width !== W || this.image.height !== H) {
      this.image = ctx.createImageData(W, H);
      this.words = new Uint32Array(this.image.data.buffer);
    }
    const words = this.words;
    words.fill(style.background);
    for (const gx of grid) {
      const dx = Math.round(gx * dpr);
      if (dx < 0 || dx >= W) continue;
      for (let y = 0; y < H; y++) words[y * W + dx] = style.grid;
    }
    const lineRows = style.line ? Math.max(1, Math.round(1.5 * dpr)) : 0;
    let previousTop = -1;
    for (let dx = 0; dx < W; dx++) {
      const h = heights[Math.floor(dx / dpr)]!;
      if (!(h > 0)) {
        previousTop = -1;
        continue;
      }
      const columnTop = Math.max(0, H - Math.round(h * dpr));
      for (let y = columnTop; y < H; y++) words[y * W + dx] = style.fill;
      if (lineRows) {
        // The outline: the top of this column, and the step from the previous one.
        let from = Math.max(0, columnTop - lineRows + 1);
        let to = columnTop;
        if (previousTop >= 0 && previousTop !== columnTop) {
          from = Math.max(0, Math.min(from, previousTop));
          to = Math.max(to, previousTop);
        }
        for (let y = from; y <= to && y < H; y++) words[y * W + dx] = style.line;
      }
      previousTop = columnTop;
    }
    ctx.putImageData(this.image, 0, Math.round(top * dpr));
  }
}
