// The recorder's clock (instrument/clock.ts): a helper thread ticks a 32-bit microsecond word
// that every event reads; readers map words back to performance.now() time, across the wrap.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createClock, msOfWord, startTickerThread, tick, tickFromThisThread, waitForTicker, type SharedClock } from '../instrument/clock.js';

describe('recorder clock', () => {
  it('is ticked by its own thread, in step with performance.now()', async () => {
    const clock = createClock();
    const worker = startTickerThread(clock, 0.2);
    try {
      expect(waitForTicker(clock, 5000)).toBe(true);
      const before = msOfWord(clock, clock.words[0]!);
      const beforeNow = performance.now();
      await sleep(100);
      const after = msOfWord(clock, clock.words[0]!);
      const afterNow = performance.now();
      // One tick is 0.2 ms; a loaded machine may delay the ticker by a few ms more.
      expect(Math.abs(before - beforeNow)).toBeLessThan(10);
      expect(Math.abs(after - afterNow)).toBeLessThan(10);
      expect(after - before).toBeGreaterThan(90);
      expect(after - before).toBeLessThan(140);
    } finally {
      await worker.terminate();
    }
  });

  it('falls back to ticking from this thread, while its event loop turns', async () => {
    const clock = createClock();
    const stop = tickFromThisThread(clock);
    try {
      const before = msOfWord(clock, clock.words[0]!);
      await sleep(60);
      const after = msOfWord(clock, clock.words[0]!);
      expect(after - before).toBeGreaterThan(50);
      expect(Math.abs(after - performance.now())).toBeLessThan(10);
    } finally {
      stop();
    }
  });

  it('moves only forward while two threads tick it', async () => {
    const clock = createClock();
    const worker = startTickerThread(clock, 0.05);
    try {
      expect(waitForTicker(clock, 5000)).toBe(true);
      let previous = clock.words[0]!;
      let backwards = 0;
      const until = performance.now() + 200;
      while (performance.now() < until) {
        tick(clock);
        const word = clock.words[0]!;
        if (((word - previous) | 0) < 0) backwards++;
        previous = word;
      }
      expect(backwards).toBe(0);
      // And a word written by the main thread is as fresh as performance.now().
      const before = performance.now();
      tick(clock);
      const ticked = msOfWord(clock, clock.words[0]!);
      expect(ticked).toBeGreaterThan(before - 0.5);
      expect(ticked).toBeLessThan(performance.now() + 0.5);
    } finally {
      await worker.terminate();
    }
  });

  it('maps a word back to its time after the 32-bit microsecond count has wrapped', () => {
    // A clock whose origin is 2^32 µs (71.6 minutes) and 5 ms in the past: its words have wrapped.
    const ageUs = 2 ** 32 + 5000;
    const real = createClock();
    const clock: SharedClock = {
      words: real.words,
      originNs: real.originNs - BigInt(ageUs) * 1000n,
      originMs: real.originMs - ageUs / 1000,
    };
    // Bracketed by performance.now() readings: a loaded machine may preempt us anywhere.
    const before = performance.now();
    tick(clock);
    const word = clock.words[0]!;
    expect(Math.abs(word)).toBeLessThan(2 ** 31);
    // The word holds the low 32 bits only, and still reads as now.
    const read = msOfWord(clock, word);
    const after = performance.now();
    expect(read).toBeGreaterThan(before - 0.5);
    expect(read).toBeLessThan(after + 0.5);
    // A word from 8 ms earlier, before the wrap (the high end of the 32-bit range), reads as 8 ms ago.
    const earlier = (word - 8000) | 0;
    expect(earlier).toBeLessThan(0);
    expect(msOfWord(clock, earlier) - read).toBeCloseTo(-8, 2);
  });
});
