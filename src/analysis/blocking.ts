// Blocking stretches from the V8 sampling profile: a stretch is a run of samples with no
// "(idle)" between them, i.e. time the loop could not poll. Each one over the threshold is
// attributed to the hottest frame of user code during it (blocking-attribution.ts), and to the
// task that was running (runs-inside-stretches.ts).
//
// A stretch also ends where the trace proves the loop turned (loop-turns.ts): the lag probe or a
// timer that came due after the stretch began ran inside it.
//
// A stretch is only blocking if the script held the thread for a good part of it: on the CPU,
// or asleep in a synchronous call (the sampler's signals still reach it). When the
// process is not running at all (a loaded machine preempts it, a stop signal), the profiler
// takes no samples: one short callback that was preempted for 60 ms looks like a 60 ms stretch
// with two samples and a hole. Such stretches are reported apart, as time off the CPU. Where the
// scheduler was sampled, each stretch also says how much of it the thread waited for a CPU that
// other processes had (cpuWaitMs): the loop was held that long, but not by the program alone
// (Node's first fetch() runs cold code for 28 ms; with a CPU hog on each core it takes 62), and
// `ci` budgets the rest.
import type { TraceModel } from '../model/types.js';
import { attributeStretch } from './blocking-attribution.js';
import { cpuTime } from './cpu-time.js';
import { loopTurns } from './loop-turns.js';
import { profileFrames } from './profile-frames.js';
import type { Blocking, OffCpu } from './results.js';
import { measureRunsInside } from './runs-inside-stretches.js';
import type { Work } from './work.js';

/**
 * A gap between two samples counts as time on the CPU up to this many sampling intervals: the
 * sampler is late by a few intervals on a busy machine, while a hole of tens of intervals is
 * the process not running.
 */
const ON_CPU_GAP_INTERVALS = 4;
/** A stretch is blocking when at least this share of the threshold was spent on the CPU. */
const ON_CPU_SHARE = 0.5;
/**
 * A timer proves a turn only when it came due this much after the stretch began: sample times
 * (V8's clock) and event times (the recorder's, ticked every 0.2 ms) differ a little.
 */
const CLOCK_SLACK_MS = 1;

export interface BlockingOptions {
  /** Stretches at least this long are blocking. */
  thresholdMs: number;
}

export interface BlockingResult {
  blocking: Blocking[];
  offCpu: OffCpu[];
}

export function findBlocking(model: TraceModel, options: BlockingOptions, work: Work): BlockingResult {
  const threshold = options.thresholdMs;
  const maxGapMs = (ON_CPU_GAP_INTERVALS * (model.samplingIntervalUs || 1000)) / 1000;
  const P = model.columns.samples;
  const frames = profileFrames(model);
  const found: Blocking[] = [];
  const offCpu: OffCpu[] = [];
  const turns = loopTurns(model, work);
  const cpu = cpuTime(model.sched);
  let turn = 0;

  for (const chunk of P.chunks) {
    // The stretch's samples (the profiler's own work is not among them: not the script's).
    const kept: number[] = [];
    let before = chunk.startMs;
    // Time the profiler spent on its own work inside the stretch: not the script's.
    let ownMs = 0;
    const close = (after: number) => {
      if (kept.length > 0) {
        const firstAt = P.time[kept[0]!]!;
        const lastAt = P.time[kept[kept.length - 1]!]!;
        // Each sample stands for the time since the previous one; split the edges in half.
        // Time zero is the script's first line: what ran before it (loading the script) is not the run's.
        const startMs = Math.max(0, firstAt - (firstAt - before) / 2);
        const durationMs = lastAt + (after - lastAt) / 2 - startMs - ownMs;
        if (durationMs >= threshold) {
          // The profiler's own work is left out of durationMs; it may still be in the gaps. The
          // time on the CPU: the scheduler's own count where the recorder sampled it, else the
          // samples' gaps (a hole of many intervals is the process not running).
          const endMs = startMs + durationMs + ownMs;
          const sampled = cpu !== null && cpu.covers(startMs, endMs);
          const bySamples = Math.min(onCpuMs(P.time, kept, before, maxGapMs), durationMs);
          const cpuMs = sampled ? Math.min(cpu.runningMs(startMs, endMs), durationMs) : bySamples;
          const cpuWaitMs = sampled ? Math.min(cpu.waitingMs(startMs, endMs), durationMs - cpuMs) : 0;
          // Held by the program: on the CPU, or asleep in a synchronous call (spawnSync, a read
          // of a slow disk, Atomics.wait), which the scheduler counts as neither running nor
          // waiting, but where the sampler's signals reached the thread all along; a stopped or
          // preempted thread takes no samples.
          const heldMs = sampled ? Math.max(cpuMs, bySamples - cpuWaitMs) : cpuMs;
          work.add(kept.length);
          if (heldMs >= threshold * ON_CPU_SHARE) {
            found.push({ ...attributeStretch(model, frames, kept, startMs, durationMs), endMs, cpuMs, cpuWaitMs, awaitsResumed: 0, longestRunMs: 0, resourceCallbacks: 0 });
          } else offCpu.push({ startMs, durationMs, cpuMs, samples: kept.length });
        }
      }
      kept.length = 0;
      ownMs = 0;
    };
    let previous = chunk.startMs;
    while (turn < turns.count && turns.atMs[turn]! <= previous) turn++;
    for (let i = chunk.firstSample; i < chunk.endSample; i++) {
      work.add();
      const at = P.time[i]!;
      const node = P.node[i]!;
      // The loop turned since the previous sample: the stretch so far ends there.
      for (; turn < turns.count && turns.atMs[turn]! < at; turn++) {
        if (kept.length === 0) continue;
        const firstAt = P.time[kept[0]!]!;
        const startMs = firstAt - (firstAt - before) / 2;
        if (startMs >= turns.dueMs[turn]! - CLOCK_SLACK_MS) continue;
        const splitAt = Math.max(turns.atMs[turn]!, previous);
        close(splitAt);
        before = splitAt;
        previous = splitAt;
      }
      if (node >= 0 && frames.isProfilerOwn(node)) {
        // Only what falls after time zero: a stretch is cut there (startMs in close).
        if (kept.length > 0 && at > 0) ownMs += at - Math.max(0, previous);
      } else if (node < 0 || frames.isIdle(node)) {
        close(at);
        before = at;
      } else {
        if (kept.length === 0) before = previous;
        kept.push(i);
      }
      previous = at;
    }
    close(chunk.endMs);
  }
  // Before time zero only modules were loading: nothing of the script's own ran yet.
  const afterStart = <T extends { startMs: number; durationMs: number }>(list: T[]) =>
    list.filter((b) => b.startMs + b.durationMs > 0).sort((a, b) => a.startMs - b.startMs);
  const blocking = afterStart(found);
  measureRunsInside(model, blocking, work);
  return { blocking, offCpu: afterStart(offCpu) };
}

/** Time on the CPU in a stretch: each sample stands for the gap before it, holes capped. */
function onCpuMs(time: Float64Array, kept: readonly number[], before: number, maxGapMs: number): number {
  let total = 0;
  let previous = before;
  for (const i of kept) {
    const at = time[i]!;
    total += Math.min(at - previous, maxGapMs);
    previous = at;
  }
  return total;
}
