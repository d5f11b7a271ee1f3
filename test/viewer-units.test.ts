// The viewer's pure parts, in Node: its one concurrency sweep agrees with the report's, and its
// formatter's clock.
import { describe, expect, it } from 'vitest';
import { concurrencyCurve } from '../src/analysis/concurrency.js';
import type { Task } from '../src/model/types.js';
import { formatDuration, formatInstant, tickFormatter } from '../viewer/format.js';
import { peakTasksInFlight } from '../viewer/tasks-in-flight.js';

describe('peakTasksInFlight', () => {
  it('agrees with the report\'s concurrency curve, touching ends and starts included', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 50; round++) {
      const n = 1 + Math.floor(random() * 40);
      const starts = new Float64Array(n);
      const ends = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        // Whole numbers, so ends and starts often coincide.
        starts[i] = Math.floor(random() * 20);
        ends[i] = starts[i]! + Math.floor(random() * 6);
      }
      const tasks = Array.from(starts, (startMs, i) => ({ startMs, endMs: ends[i]! }) as Task);
      expect(peakTasksInFlight(starts, ends)).toBe(concurrencyCurve(tasks, 0, 30).maxTasks);
    }
  });

  it('does not count a task that ends as another starts', () => {
    expect(peakTasksInFlight(Float64Array.of(0, 5), Float64Array.of(5, 9))).toBe(1);
    expect(peakTasksInFlight(Float64Array.of(0, 4), Float64Array.of(5, 9))).toBe(2);
    expect(peakTasksInFlight(new Float64Array(0), new Float64Array(0))).toBe(0);
  });
});

describe('format', () => {
  it('writes minutes the same way for instants and for axis ticks', () => {
    expect(formatInstant(61_234)).toBe('1:01.234');
    expect(formatInstant(-61_234)).toBe('-1:01.234');
    expect(tickFormatter(60_000, 180_000, 20_000, 60_000)(80_000)).toBe('1:20');
    expect(formatDuration(90_000)).toBe('1 min 30 s');
    expect(formatDuration(0.25)).toBe('250 µs');
  });
});
