// Maximum of any index range of a large array in O(sqrt-ish) time: maxima of blocks of 64 and of
// blocks of 4096 values. Lets a chart take the max of a million points per pixel column per frame.

const B1 = 64;
const B2 = 4096;

export class RangeMax {
  private readonly small: Float64Array;
  private readonly large: Float64Array;

  constructor(private readonly values: { readonly [i: number]: number; readonly length: number }) {
    const n = values.length;
    this.small = new Float64Array(Math.ceil(n / B1)).fill(-Infinity);
    this.large = new Float64Array(Math.ceil(n / B2)).fill(-Infinity);
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (v > this.small[(i / B1) | 0]!) this.small[(i / B1) | 0] = v;
      if (v > this.large[(i / B2) | 0]!) this.large[(i / B2) | 0] = v;
    }
  }

  /** Max over [lo, hi] (inclusive); -Infinity for an empty range. */
  max(lo: number, hi: number): number {
    const values = this.values;
    let m = -Infinity;
    let i = Math.max(0, lo);
    const end = Math.min(values.length - 1, hi);
    while (i <= end) {
      if (i % B2 === 0 && i + B2 - 1 <= end) {
        const v = this.large[i / B2]!;
        if (v > m) m = v;
        i += B2;
      } else if (i % B1 === 0 && i + B1 - 1 <= end) {
        const v = this.small[i / B1]!;
        if (v > m) m = v;
        i += B1;
      } else {
        const v = values[i]!;
        if (v > m) m = v;
        i++;
      }
    }
    return m;
  }
}
