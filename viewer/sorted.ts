// Binary searches over sorted typed arrays, within [lo, hi).

type Sorted = { readonly [index: number]: number; readonly length: number };

/** First index in [lo, hi) whose value is >= x (hi when none). */
export function lowerBound(a: Sorted, x: number, lo = 0, hi = a.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index in [lo, hi) whose value is > x (hi when none). */
export function upperBound(a: Sorted, x: number, lo = 0, hi = a.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
