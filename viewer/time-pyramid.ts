// Maxima of a time series over time buckets at every power-of-two resolution (a mipmap), so a
// chart gets the maximum per pixel column from a few buckets, whatever the number of points.
// Step functions (a value holds until the next point) and samples (a value at an instant) differ
// only in what a bucket without a point holds: the running value, or nothing (NaN).

const MAX_LEVEL = 20; // 2^20 buckets at the finest level

export class TimePyramid {
  /** levels[l] has 2^l buckets over [0, span). */
  private readonly levels: Float32Array[] = [];
  private readonly span: number;

  constructor(times: { readonly [i: number]: number; readonly length: number }, values: { readonly [i: number]: number }, span: number, step: boolean) {
    this.span = Math.max(span, 1e-9);
    const n = times.length;
    const finest = Math.max(1, Math.min(MAX_LEVEL, Math.ceil(Math.log2(Math.max(2, n)))));
    const count = 1 << finest;
    const base = new Float32Array(count).fill(Number.NaN);
    const width = this.span / count;
    let i = 0;
    let current = Number.NaN;
    for (let k = 0; k < count; k++) {
      const end = (k + 1) * width;
      let m = step ? current : Number.NaN;
      while (i < n && times[i]! < end) {
        const v = values[i]!;
        if (!(m >= v)) m = v;
        current = v;
        i++;
      }
      base[k] = m;
    }
    this.levels[finest] = base;
    for (let l = finest - 1; l >= 0; l--) {
      const finer = this.levels[l + 1]!;
      const level = new Float32Array(1 << l);
      for (let k = 0; k < level.length; k++) {
        const a = finer[2 * k]!;
        const b = finer[2 * k + 1]!;
        level[k] = Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.max(a, b);
      }
      this.levels[l] = level;
    }
  }

  /**
   * The maximum for each pixel column x in [0, width) covering [t0 + x * msPerPx, ...) into out.
   * False when pixels are finer than the finest buckets (the caller then looks at the points).
   */
  columns(t0: number, msPerPx: number, width: number, out: Float64Array): boolean {
    const finest = this.levels.length - 1;
    // The coarsest level whose buckets are at most a quarter pixel wide.
    let level = Math.ceil(Math.log2((this.span / msPerPx) * 4));
    if (level > finest) return false;
    level = Math.max(0, level);
    const buckets = this.levels[level]!;
    const per = buckets.length / this.span;
    for (let x = 0; x < width; x++) {
      const a = t0 + x * msPerPx;
      let from = Math.floor(a * per);
      let to = Math.ceil((a + msPerPx) * per);
      if (to <= 0 || from >= buckets.length) {
        out[x] = Number.NaN;
        continue;
      }
      from = Math.max(0, from);
      to = Math.min(buckets.length, to);
      let m = Number.NaN;
      for (let k = from; k < to; k++) {
        const v = buckets[k]!;
        if (!(m >= v)) m = v;
      }
      out[x] = m;
    }
    return true;
  }
}
