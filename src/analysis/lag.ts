// Event-loop lag, judged on what the program did. The drift probe's lateness is the wall-clock
// time it ran late. Two parts of it are not the program's doing and are left out, each probe's lag
// never going below 0:
// - on a loaded machine, the main thread waiting for a CPU (other processes had it): where the
//   recorder sampled the thread's scheduler statistics, the run-queue wait that fell in the
//   probe's interval (from when it was set to when it ran);
// - Node setting itself up, once per process (its first fetch() compiles undici and llhttp's
//   WebAssembly): the profile samples in the interval whose stack is Node's set-up, as blocking
//   leaves those stretches out of the script's budgets.
// The wall-clock figures are kept beside them whenever anything was left out.
import { mean, quantileSorted } from 'simple-statistics';
import type { TraceModel } from '../model/types.js';
import { cpuTime } from './cpu-time.js';
import { profileFrames } from './profile-frames.js';
import type { LagSummary } from './results.js';
import { upperBound } from './search.js';
import type { Work } from './work.js';

/** As in blocking.ts: a gap between samples counts as on the CPU up to this many intervals. */
const ON_CPU_GAP_INTERVALS = 4;

export function summarizeLag(values: ArrayLike<number>): LagSummary {
  if (values.length === 0) return { p50Ms: 0, p90Ms: 0, p99Ms: 0, maxMs: 0, meanMs: 0 };
  const sorted = Array.from(values).sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return {
    p50Ms: round(quantileSorted(sorted, 0.5)),
    p90Ms: round(quantileSorted(sorted, 0.9)),
    p99Ms: round(quantileSorted(sorted, 0.99)),
    maxMs: round(sorted[sorted.length - 1]!),
    meanMs: round(mean(sorted)),
  };
}

export interface LagExclusion {
  /** Lateness left out, in all. */
  excludedMs: number;
  /** Probe samples it was left out of. */
  samples: number;
}

export interface LagFigures {
  /** The program's lag: its percentiles, and the value of each probe sample. */
  summary: LagSummary;
  values: Float64Array;
  /** The wall-clock lag's percentiles when anything was left out of the figures above, else null. */
  wallClock: LagSummary | null;
  /** The probes' time waiting for a CPU; null without scheduler samples. */
  waitingForCpu: LagExclusion | null;
  /** The probes' time in Node's own set-up. */
  nodeSetup: LagExclusion;
}

export const NO_LAG: LagFigures = {
  summary: summarizeLag([]),
  values: new Float64Array(0),
  wallClock: null,
  waitingForCpu: null,
  nodeSetup: { excludedMs: 0, samples: 0 },
};

/** Node's set-up time between two moments, from the profile samples whose stack is its set-up. */
interface SetupTime {
  between(fromMs: number, toMs: number): number;
}

function nodeSetupTime(model: TraceModel, work: Work): SetupTime | null {
  const P = model.columns.samples;
  if (P.count === 0) return null;
  const frames = profileFrames(model);
  const maxGapMs = (ON_CPU_GAP_INTERVALS * (model.samplingIntervalUs || 1000)) / 1000;
  const at: number[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (const chunk of P.chunks) {
    let previous = chunk.startMs;
    for (let i = chunk.firstSample; i < chunk.endSample; i++) {
      work.add();
      const time = P.time[i]!;
      const node = P.node[i]!;
      // Each sample stands for the time since the previous one (a hole of many intervals is the
      // process off the CPU, already the other exclusion's).
      if (node >= 0 && frames.isNodeSetup(node)) {
        total += Math.min(Math.max(0, time - previous), maxGapMs);
        at.push(time);
        cumulative.push(total);
      }
      previous = time;
    }
  }
  if (at.length === 0) return null;
  const times = Float64Array.from(at);
  const sums = Float64Array.from(cumulative);
  // Chunks follow each other in time; should a trace say otherwise, order the samples once.
  for (let i = 1; i < times.length; i++) {
    if (times[i]! < times[i - 1]!) return sortedSetupTime(at, cumulative);
  }
  return setupLookup(times, sums);
}

function sortedSetupTime(at: number[], cumulative: number[]): SetupTime {
  const order = at.map((_, i) => i).sort((a, b) => at[a]! - at[b]!);
  const times = new Float64Array(order.length);
  const sums = new Float64Array(order.length);
  let total = 0;
  order.forEach((i, k) => {
    times[k] = at[i]!;
    total += cumulative[i]! - (i > 0 ? cumulative[i - 1]! : 0);
    sums[k] = total;
  });
  return setupLookup(times, sums);
}

function setupLookup(times: Float64Array, sums: Float64Array): SetupTime {
  const upTo = (t: number) => {
    const i = upperBound(times, t) - 1;
    return i >= 0 ? sums[i]! : 0;
  };
  return { between: (from, to) => (to > from ? upTo(to) - upTo(from) : 0) };
}

export function lagPass(model: TraceModel, work: Work): LagFigures {
  const { times, values: wall } = model.lag;
  work.add(wall.length * Math.log2(wall.length + 2));
  const cpu = cpuTime(model.sched);
  const setup = nodeSetupTime(model, work);
  if (!cpu && !setup) return { ...NO_LAG, summary: summarizeLag(wall), values: wall };
  const values = new Float64Array(wall.length);
  const waiting: LagExclusion = { excludedMs: 0, samples: 0 };
  const nodeSetup: LagExclusion = { excludedMs: 0, samples: 0 };
  for (let i = 0; i < wall.length; i++) {
    const lateMs = wall[i]!;
    // From when the probe was set (its previous run) to when it ran.
    const from = times[i]! - lateMs - model.lagIntervalMs;
    const waitedMs = Math.min(lateMs, cpu ? cpu.waitingMs(from, times[i]!) : 0);
    const setupMs = Math.min(lateMs - waitedMs, setup ? setup.between(from, times[i]!) : 0);
    values[i] = lateMs - waitedMs - setupMs;
    if (waitedMs > 0) {
      waiting.excludedMs += waitedMs;
      waiting.samples++;
    }
    if (setupMs > 0) {
      nodeSetup.excludedMs += setupMs;
      nodeSetup.samples++;
    }
  }
  const anyLeftOut = waiting.samples > 0 || nodeSetup.samples > 0;
  return {
    summary: summarizeLag(values),
    values,
    wallClock: cpu || anyLeftOut ? summarizeLag(wall) : null,
    waitingForCpu: cpu ? waiting : null,
    nodeSetup,
  };
}
