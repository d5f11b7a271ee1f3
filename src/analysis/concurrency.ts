// Tasks in flight over time (started and not yet ended): one sweep over sorted starts and ends,
// on typed arrays. The report, compare, the fan-out hint and the view model all use this one.

export interface ConcurrencyCurve {
  /** Step function: from times[i] on, values[i] tasks are in flight. */
  times: Float64Array;
  values: Int32Array;
  maxTasks: number;
  /** Time-weighted mean over [fromMs, toMs]. */
  meanTasks: number;
}

/** Scratch space the view model hands in (its arena) so the curve lands in its columns. */
export interface SweepSpace {
  f64(length: number): Float64Array;
  i32(length: number): Int32Array;
}

const ownSpace: SweepSpace = { f64: (n) => new Float64Array(n), i32: (n) => new Int32Array(n) };

/**
 * The curve of intervals [starts[i], ends[i]) over [fromMs, toMs]. Ends go first at equal
 * times: a task that ends as another starts is not concurrent with it.
 */
export function concurrencySweep(starts: ArrayLike<number>, ends: ArrayLike<number>, fromMs: number, toMs: number, space: SweepSpace = ownSpace): ConcurrencyCurve {
  const n = starts.length;
  const s = space.f64(n);
  s.set(starts);
  if (!isSorted(s)) s.sort();
  const e = space.f64(n);
  e.set(ends);
  if (!isSorted(e)) e.sort();
  const times = space.f64(2 * n);
  const values = space.i32(2 * n);
  let k = 0;
  const figures = sweep(s, e, fromMs, toMs, (at, inFlight) => {
    if (k > 0 && times[k - 1] === at) values[k - 1] = inFlight;
    else {
      times[k] = at;
      values[k] = inFlight;
      k++;
    }
  });
  return { times: times.subarray(0, k), values: values.subarray(0, k), ...figures };
}

/**
 * Only the peak and the time-weighted mean of the same curve, without building it: the arrays
 * are used as they are when already sorted (starts in creation order, ends in end order).
 */
export function concurrencyFigures(starts: Float64Array, ends: Float64Array, fromMs: number, toMs: number): { maxTasks: number; meanTasks: number } {
  const s = isSorted(starts) ? starts : Float64Array.from(starts).sort();
  const e = isSorted(ends) ? ends : Float64Array.from(ends).sort();
  return sweep(s, e, fromMs, toMs);
}

/** Starts in creation order are mostly in order already (the clock only goes forward). */
function isSorted(values: Float64Array): boolean {
  for (let i = 1; i < values.length; i++) if (values[i]! < values[i - 1]!) return false;
  return true;
}

/** Space the sweep takes for n intervals, in [bytes per element, length] requests (the view model's arena). */
export function concurrencySpace(n: number): [8 | 4, number][] {
  return [[8, n], [8, n], [8, 2 * n], [4, 2 * n]];
}

/**
 * The one sweep: sorted starts and sorted ends merged (ends first at equal times), the count in
 * flight after each, its peak and its time-weighted mean over [fromMs, toMs].
 */
function sweep(s: Float64Array, e: Float64Array, fromMs: number, toMs: number, step?: (at: number, inFlight: number) => void): { maxTasks: number; meanTasks: number } {
  const n = s.length;
  let inFlight = 0;
  let maxTasks = 0;
  let area = 0;
  let last = fromMs;
  let i = 0;
  let j = 0;
  while (i < n || j < n) {
    const takeEnd = j < n && (i >= n || e[j]! <= s[i]!);
    const at = takeEnd ? e[j++]! : s[i++]!;
    area += inFlight * Math.max(0, Math.min(at, toMs) - Math.max(last, fromMs));
    last = Math.max(last, at);
    inFlight += takeEnd ? -1 : 1;
    if (inFlight > maxTasks) maxTasks = inFlight;
    step?.(at, inFlight);
  }
  const span = toMs - fromMs;
  return { maxTasks, meanTasks: span > 0 ? area / span : 0 };
}
