// The model's times: one clock reading is one time, whichever event chunk holds it.
import { describe, expect, it } from 'vitest';
import { EventType, Outcome } from '../contract/index.js';
import { buildModel } from '../src/model/build-model.js';
import type { RawTrace } from '../src/trace/read-trace.js';

/** A trace whose chunks start at these clock readings (µs), as the recorder stamps them. */
function traceWithChunks(chunks: { startUs: number; events: number[][] }[]): RawTrace {
  // The recorder's clock origin on the performance.now() timeline: not a round number.
  const clockOriginMs = 35.123456789;
  return {
    path: 'synthetic.trace',
    meta: {
      version: 1, script: 'job.ts', args: [], cwd: '/work', pid: 1, node: 'v20', platform: 'linux', arch: 'x64',
      startEpochMs: 0, originMs: clockOriginMs, hrOriginMs: 0, blockingThresholdMs: 50, samplingIntervalUs: 0,
      lagIntervalMs: 10, clockTickUs: 200, profilerDir: '',
    },
    modules: [{ file: '/work/job.ts', firstId: 1, functions: ['step', 3, 0], ranges: [3, 5] }],
    // A chunk's base is what msOfWord gives for its first clock word; events hold the distance.
    chunks: chunks.map(({ startUs, events }) => ({
      base: clockOriginMs + startUs / 1000,
      events: Int32Array.from(events.flatMap(([type, x, a, b, atUs]) => [type! | (x! << 8), a!, b!, atUs! - startUs])),
    })),
    profiles: [], errors: [], marks: [], end: null, epilogue: null, scriptStartMs: clockOriginMs, warnings: [],
  };
}

describe('buildModel', () => {
  it('gives events at one clock reading one time, in whichever chunk they are', () => {
    // step#1 ends and step#2 starts at 123,463 µs: the end at the close of one chunk, the start
    // in the next (by floats, 35.123456789 + 123.456 + 0.007 and 35.123456789 + 123.460 + 0.003 differ).
    const model = buildModel(
      traceWithChunks([
        { startUs: 123_456, events: [[EventType.TaskEnter, 1, 1, 0, 123_458], [EventType.TaskExit, Outcome.Fulfilled, 1, 0, 123_463]] },
        { startUs: 123_460, events: [[EventType.TaskEnter, 1, 2, 0, 123_463], [EventType.TaskExit, Outcome.Fulfilled, 2, 0, 123_470]] },
      ]),
    );
    const [first, second] = model.tasks;
    expect(first!.endMs).toBe(second!.startMs);
    expect(second!.startMs).toBeCloseTo(123.463, 9);
    expect(second!.endMs! - second!.startMs).toBeCloseTo(0.007, 9);
  });
});
