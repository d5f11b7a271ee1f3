// The viewer's pure parts, in Node: the view state's store, its one concurrency sweep (agrees
// with the report's), and its formatter's clock.
import { describe, expect, it } from 'vitest';
import { concurrencyFigures } from '../src/analysis/concurrency.js';
import { formatDuration, formatInstant, tickFormatter } from '../viewer/format.js';
import { Store } from '../viewer/store.js';
import { peakTasksInFlight } from '../viewer/tasks-in-flight.js';

describe('Store', () => {
  interface S {
    a: number;
    b: string;
    list: number[];
  }
  const make = () => new Store<S>({ a: 1, b: 'x', list: [] });

  it('tells a listener which of its keys changed, and only when one did', () => {
    const store = make();
    const heard: string[] = [];
    store.subscribe(['a'], (state, changed) => heard.push(`a=${state.a} ${[...changed].sort().join(',')}`));
    store.set({ b: 'y' });
    store.set({ a: 1 });
    store.set({ a: 2, b: 'z' });
    expect(heard).toEqual(['a=2 a,b']);
    expect(store.state).toEqual({ a: 2, b: 'z', list: [] });
  });

  it('replaces the state object on a change and keeps it otherwise; undefined changes nothing', () => {
    const store = make();
    const first = store.state;
    store.set({ a: 1, b: undefined });
    expect(store.state).toBe(first);
    store.set({ list: [1] });
    expect(store.state).not.toBe(first);
    expect(first.list).toEqual([]);
  });

  it('announces a write made by a listener after the current round, to every listener, with the latest state', () => {
    const store = make();
    const heard: string[] = [];
    store.subscribe(['a'], (state) => {
      heard.push(`first a=${state.a} b=${state.b}`);
      if (state.a === 2) store.set({ b: 'from listener' });
    });
    store.subscribe(null, (state, changed) => heard.push(`second a=${state.a} b=${state.b} ${[...changed].join(',')}`));
    store.set({ a: 2 });
    expect(heard).toEqual(['first a=2 b=x', 'second a=2 b=from listener a', 'second a=2 b=from listener b']);
  });

  it('stops calling a listener that unsubscribed', () => {
    const store = make();
    let calls = 0;
    const off = store.subscribe(null, () => calls++);
    store.set({ a: 5 });
    off();
    store.set({ a: 6 });
    expect(calls).toBe(1);
  });
});

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
      expect(peakTasksInFlight(starts, ends)).toBe(concurrencyFigures(starts, ends, 0, 30).maxTasks);
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
