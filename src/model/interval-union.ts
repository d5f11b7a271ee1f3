// The union of intervals, as sorted disjoint [start0, end0, start1, end1, ...] with touching ones
// merged: one sweep over the sorted starts against the sorted ends (busy while more have started
// than ended). The model's running intervals and the analyses' busy time both come from here.

/** `starts` and `ends` sorted each on its own (intervals of positive length); starts go first at equal times. */
export function unionBySweep(starts: Float64Array, ends: Float64Array): Float64Array {
  const count = starts.length;
  const union: number[] = [];
  let open = 0;
  let i = 0;
  let j = 0;
  while (i < count) {
    if (starts[i]! <= ends[j]!) {
      if (open++ === 0) union.push(starts[i]!);
      i++;
    } else {
      if (--open === 0) union.push(ends[j]!);
      j++;
    }
  }
  // Every start is taken: what is open closes at the largest end.
  if (open > 0) union.push(ends[count - 1]!);
  return Float64Array.from(union);
}
