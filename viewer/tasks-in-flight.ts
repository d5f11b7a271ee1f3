// The viewer's one concurrency sweep. The run's "tasks in flight" curve comes with the view model
// (concTime/concValue, read through Trace); so do the peaks of the phases it has figures for
// (analysis.stats). This is for the other phases the comparison view can be opened on (a task
// beyond the figures' cap, or any task of a trace too big for the analysis section): the most of
// the given tasks in flight at once, by the view model's rule (an end and a start at the same
// instant do not overlap).

export function peakTasksInFlight(starts: Float64Array, ends: Float64Array): number {
  const n = starts.length;
  const startOrder = Float64Array.from(starts).sort();
  const endOrder = Float64Array.from(ends).sort();
  let inFlight = 0;
  let peak = 0;
  for (let i = 0, j = 0; i < n; ) {
    if (j < n && endOrder[j]! <= startOrder[i]!) {
      inFlight--;
      j++;
    } else {
      inFlight++;
      i++;
      if (inFlight > peak) peak = inFlight;
    }
  }
  return peak;
}
