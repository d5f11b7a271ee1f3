// The transform's cost grows with the code, not with its square: tsx hands over code minified to
// a single line with tens of thousands of map segments on it, and naming the original line of
// every node by scanning that line made a 1 MB file take 25 s to load. Counted, not timed.
import { describe, expect, it } from 'vitest';
import { encode } from '@jridgewell/sourcemap-codec';
import { lookupWork } from '../instrument/source-map.js';
import { instrument } from '../instrument/transform.js';

/** n async functions on one line, as tsx prints them, with an inline map sending each to a line of its own. */
function minified(n: number): string {
  let code = '';
  const segments: [number, number, number, number][] = [];
  for (let i = 0; i < n; i++) {
    const fn = `async function f${i}(a){await a;return a+${i}}`;
    segments.push([code.length, 0, i, 0]);
    code += fn;
  }
  const map = { version: 3, sources: ['x.ts'], names: [], mappings: encode([segments]) };
  return `${code}\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}\n`;
}

function work(n: number): number {
  lookupWork.segments = 0;
  const result = instrument(minified(n), { file: '/x.ts', sourceType: 'module', allocateIds: () => 1 });
  expect(result.tasks).toBe(n);
  expect(result.table.functions[1]).toBe(1);
  expect(result.table.functions[(n - 1) * 3 + 1]).toBe(n);
  return lookupWork.segments;
}

describe('transform cost', () => {
  it('looks up original lines in O(log n) per node on a single minified line', () => {
    const small = work(1000);
    const large = work(8000);
    // n log n grows by 8 * log(8000)/log(1000) ~ 10.4 from N to 8N; n^2 by 64.
    expect(large / small).toBeLessThan(12);
  });
});
