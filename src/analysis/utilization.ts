// Event-loop utilization from the V8 samples: the share of the run's time whose samples were not
// "(idle)". performance.eventLoopUtilization() cannot be used while V8's sampling profiler runs
// in-process: its sampling signals make an idle loop read as 60-90% busy (measured).
import type { RawTrace } from '../trace/read-trace.js';

/** null when the trace has no profile samples after time zero. */
export function utilizationFromSamples(raw: RawTrace): number | null {
  const zero = raw.meta.hrOriginMs + (raw.scriptStartMs ?? raw.meta.originMs);
  let busy = 0;
  let total = 0;
  for (const chunk of raw.profiles) {
    const idle = new Set(chunk.nodes.filter((n) => n.f === '(idle)').map((n) => n.id));
    let t = chunk.startTime;
    for (let i = 0; i < chunk.samples.length; i++) {
      const delta = chunk.timeDeltas[i]!;
      t += delta;
      if (t / 1000 < zero || delta <= 0) continue;
      total += delta;
      if (!idle.has(chunk.samples[i]!)) busy += delta;
    }
  }
  return total > 0 ? busy / total : null;
}
