// Event-loop utilization from the V8 samples: the share of the run's time whose samples were not
// "(idle)". performance.eventLoopUtilization() cannot be used while V8's sampling profiler runs
// in-process: its sampling signals make an idle loop read as 60-90% busy (measured).
import type { TraceModel } from '../model/types.js';
import { profileFrames } from './profile-frames.js';
import type { Work } from './work.js';

/** null when the trace has no profile samples after time zero. */
export function utilizationFromSamples(model: TraceModel, work: Work): number | null {
  const P = model.columns.samples;
  const frames = profileFrames(model);
  const zero = P.v8ZeroMs;
  let busy = 0;
  let total = 0;
  for (let i = 0; i < P.count; i++) {
    work.add();
    const delta = P.deltaUs[i]!;
    if (P.v8Us[i]! / 1000 < zero || delta <= 0) continue;
    total += delta;
    const node = P.node[i]!;
    if (node < 0 || !frames.isIdle(node)) busy += delta;
  }
  return total > 0 ? busy / total : null;
}

/** The run's utilization: from the samples, else what the process measured itself. */
export function utilization(model: TraceModel, work: Work): number | null {
  return utilizationFromSamples(model, work) ?? model.recordedElu;
}
