// Shared by every sample: the time scale and seed that let tests run the course's exercises
// quickly and reproducibly. Printed durations are always the real, measured ones.
import { setTimeout as sleepMs } from 'node:timers/promises';

function readNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    console.error(`${name} must be a non-negative number, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return value;
}

/** Multiplies every delay in the samples (SAMPLE_TIME_SCALE, default 1). */
export const TIME_SCALE = readNumber('SAMPLE_TIME_SCALE', 1);

/** Seed for anything random (SAMPLE_SEED, default 42). */
export const SEED = readNumber('SAMPLE_SEED', 42);

/** Waits `seconds` of course time (scaled). */
export function sleep(seconds: number, signal?: AbortSignal): Promise<void> {
  return sleepMs(seconds * 1000 * TIME_SCALE, undefined, signal ? { signal } : undefined);
}

/** Course seconds to real milliseconds. */
export function scaled(seconds: number): number {
  return seconds * 1000 * TIME_SCALE;
}

/** Real elapsed milliseconds to course seconds, so printed figures read like the seed's. */
export function courseSeconds(realMs: number): number {
  return TIME_SCALE === 0 ? 0 : realMs / 1000 / TIME_SCALE;
}

/** A small seeded PRNG (mulberry32): the same SAMPLE_SEED gives the same run. */
export function random(seed: number = SEED): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
