// The view model the browser gets: display order, subtrees as ranges, the event-loop lane, the
// concurrency curve (same as the report's), resource groups and the binary round trip.
import { describe, expect, it } from 'vitest';
import { modelFromObjects, type ObjectResource, type ObjectRun, type ObjectSegment, type ObjectTask } from '../bench/analysis-from-objects.js';
import { concurrencySweep } from '../src/analysis/concurrency.js';
import type { TraceModel } from '../src/model/types.js';
import { concatChunks, decodeViewModel, encodeViewModel } from '../src/view-model/binary-format.js';
import { buildViewModel } from '../src/view-model/build-view-model.js';
import { OUTCOME_PENDING, OUTCOME_REJECTED, SEGMENT_RUN, SEGMENT_WAIT } from '../src/view-model/types.js';

function task(id: number, parentId: number | null, name: string, startMs: number, endMs: number | null, segments: [ObjectSegment['kind'], number, number][], outcome: ObjectTask['outcome'] = 'fulfilled'): ObjectTask {
  return {
    id,
    parentId,
    name,
    line: id * 10,
    startMs,
    endMs,
    outcome,
    segments: segments.map(([kind, a, b], i) => ({ kind, startMs: a, endMs: b, line: id * 10 + i })),
  };
}

/** The run as a recorded trace would give it (hand-made objects written as a trace and read back). */
function run(tasks: ObjectTask[], resources: ObjectResource[] = [], extra: Partial<ObjectRun> = {}): ObjectRun {
  return {
    script: 'demo.ts',
    args: ['--x', '<b>'],
    cwd: '/nonexistent',
    wallMs: 100,
    tasks,
    resources,
    // The probe due at 20 ms ran when c's 60 ms of work was over.
    lag: { times: [10, 75, 85], values: [0.5, 55, 0.2] },
    // c (12-72) spins for 60 ms.
    blocking: [{ startMs: 12, durationMs: 60, function: 'spin', line: 7 }],
    ...extra,
  };
}

function model(tasks: ObjectTask[], resources: ObjectResource[] = [], extra: Partial<ObjectRun> = {}): TraceModel {
  return modelFromObjects(run(tasks, resources, extra), '/tmp/demo.trace');
}

// main (0-100) starts b (10-90, rejected) then a (5-50): children are shown by start time.
// b starts c (12-80); d (80-) never ends.
const tasks = [
  task(1, null, 'main', 0, 100, [['run', 0, 5], ['wait', 5, 95], ['run', 95, 100]]),
  task(2, 1, 'b', 10, 90, [['run', 10, 12], ['wait', 12, 90]], 'rejected'),
  task(3, 2, 'c', 12, 80, [['run', 12, 72], ['wait', 72, 80]]),
  task(4, 1, 'a', 5, 50, [['run', 5, 6], ['wait', 6, 50]]),
  task(5, null, 'd', 80, null, [['run', 80, 81], ['wait', 81, Number.NaN]], 'pending'),
];
const resources: ObjectResource[] = [
  { type: 'setTimeout', taskId: 3, createdMs: 15, callbacksMs: [70], endMs: 70 },
  { type: 'setTimeout', taskId: 3, createdMs: 14, callbacksMs: [20], endMs: 20 },
  { type: 'tcp', taskId: 3, createdMs: 13, callbacksMs: [30, 25], endMs: null },
  { type: 'setInterval', taskId: null, createdMs: 1, callbacksMs: [11, 21], endMs: 22 },
];

describe('buildViewModel', () => {
  const vm = buildViewModel(model(tasks, resources), { sources: false });
  const c = vm.columns;
  const names = Array.from(c.taskName, (s) => vm.header.strings[s]);

  it('orders tasks depth-first with children by start, subtrees as contiguous ranges', () => {
    expect(names).toEqual(['main', 'a', 'b', 'c', 'd']);
    expect(Array.from(c.taskParent)).toEqual([-1, 0, 0, 2, -1]);
    expect(Array.from(c.taskDepth)).toEqual([0, 1, 1, 2, 0]);
    expect(Array.from(c.taskSize)).toEqual([4, 1, 2, 1, 1]);
    expect(Array.from(c.taskChildren)).toEqual([2, 0, 1, 0, 0]);
    expect(c.taskOutcome[2]).toBe(OUTCOME_REJECTED);
    expect(c.taskOutcome[4]).toBe(OUTCOME_PENDING);
    expect(c.taskEnd[4]).toBe(100); // pending: drawn to the end of the run
    const [s0, s1] = [c.taskSegOff[3]!, c.taskSegOff[4]!];
    expect(Array.from(c.segKind.subarray(s0, s1))).toEqual([SEGMENT_RUN, SEGMENT_WAIT]);
    expect(c.segEnd[c.taskSegOff[5]! - 1]).toBe(100); // an open wait ends with the run
  });

  it('merges run segments into the event-loop lane with prefix sums and the task that ran most', () => {
    // main 0-5 and a 5-6 touch: one interval; b 10-12 and c 12-72 likewise.
    expect(Array.from(c.loopStart)).toEqual([0, 10, 80, 95]);
    expect(Array.from(c.loopEnd)).toEqual([6, 72, 81, 100]);
    expect(Array.from(c.loopCum)).toEqual([0, 6, 68, 69, 74]);
    expect(names[c.loopOwner[1]!]).toBe('c'); // b ran 2 ms and c 60 ms of 10-72
    expect(c.loopTasks[1]).toBe(2);
    expect(vm.header.summary.loopBusyMs).toBe(74);
  });

  it('computes the same concurrency curve as the report', () => {
    const curve = concurrencySweep(
      tasks.map((t) => t.startMs),
      tasks.map((t) => t.endMs ?? 100),
      0,
      100,
    );
    expect(Array.from(c.concTime)).toEqual(Array.from(curve.times));
    expect(Array.from(c.concValue)).toEqual(Array.from(curve.values));
    expect(vm.header.summary.peakConcurrency).toBe(curve.maxTasks);
  });

  it('groups resources per task and type, orphans last, callbacks sorted', () => {
    const groups = Array.from(c.groupType, (s, g) => `${c.groupTask[g]}:${vm.header.strings[s]}:${c.groupResOff[g + 1]! - c.groupResOff[g]!}`);
    // Types in the order the trace first shows them (the tcp socket was created first).
    expect(groups).toEqual(['3:tcp:1', '3:setTimeout:2', '-1:setInterval:1']);
    expect(Array.from(c.taskGroupOff)).toEqual([0, 0, 0, 0, 2, 2]);
    expect(Array.from(c.resId)).toEqual([3, 2, 1, 4]); // setTimeouts by creation time
    const tcp = 0;
    expect(Array.from(c.cbTime.subarray(c.resCbOff[tcp]!, c.resCbOff[tcp + 1]!))).toEqual([25, 30]);
    expect(Number.isNaN(c.resEnd[tcp]!)).toBe(true);
  });

  it('keeps blocking stretches with the display index of their task', () => {
    expect(vm.header.blocking[0]!.task).toBe(3);
    expect(vm.header.summary.blocking).toBe(1);
    expect(vm.header.meta.args).toEqual(['--x', '<b>']);
    expect(vm.header.meta.blockingMeasured).toBe(true);
    // Without the sampling profiler an empty list means "not measured", not "none".
    const unsampled = buildViewModel(model(tasks, resources, { samplingIntervalUs: 0 }), { sources: false });
    expect(unsampled.header.meta.blockingMeasured).toBe(false);
  });

  it('survives the binary round trip', () => {
    const blob = concatChunks(encodeViewModel(vm));
    // At an odd offset too (the decoder copies to align).
    const shifted = new Uint8Array(blob.length + 3);
    shifted.set(blob, 3);
    for (const bytes of [blob, shifted.subarray(3)]) {
      const back = decodeViewModel(bytes);
      expect(back.header).toEqual(JSON.parse(JSON.stringify(vm.header)));
      for (const key of Object.keys(vm.columns) as (keyof typeof vm.columns)[]) {
        expect(Array.from(back.columns[key]), key).toEqual(Array.from(vm.columns[key]));
      }
    }
    expect(() => decodeViewModel(new Uint8Array(32))).toThrow(/magic/);
  });
});
