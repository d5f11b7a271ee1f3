// The hint detectors, in the order the report lists their kinds. A hint's kind is its place here
// (from 1), so adding a kind is one new file and one line below (docs/architecture.md).
import { awaitInLoop } from './await-in-loop.js';
import { blockingHint } from './blocking.js';
import { cpuWorkOnMainThread } from './cpu-work-on-main-thread.js';
import { floatingPromise } from './floating-promise.js';
import { pendingAtExit } from './pending-at-exit.js';
import { poolSaturated } from './pool-saturated.js';
import { timerLeftRunning } from './timer-left-running.js';
import type { Finding, HintContext, HintDetector, Hint } from './types.js';
import { unboundedFanout } from './unbounded-fanout.js';

export const HINT_DETECTORS: readonly HintDetector[] = [
  awaitInLoop,
  blockingHint,
  floatingPromise,
  unboundedFanout,
  timerLeftRunning,
  // After floating-promise: the tasks it reported are not listed again.
  pendingAtExit,
  cpuWorkOnMainThread,
  poolSaturated,
];

/** Kind (1-based) of each hint name. */
export const HINT_KINDS: Readonly<Record<string, number>> = Object.fromEntries(HINT_DETECTORS.map((d, i) => [d.name, i + 1]));

/**
 * Every detector's findings, sorted by kind, then by saving, then by the number of tasks
 * concerned. `run` runs one detector (the pipeline gives each its own work budget).
 */
export function findHints(context: HintContext, run: (detector: HintDetector) => Finding[] = (d) => d.find(context)): Hint[] {
  const hints: Hint[] = [];
  HINT_DETECTORS.forEach((detector, i) => {
    for (const finding of run(detector)) hints.push({ kind: i + 1, name: detector.name, ...finding });
  });
  return hints.sort((a, b) => a.kind - b.kind || (b.savingMs ?? 0) - (a.savingMs ?? 0) || b.taskIds.length - a.taskIds.length);
}
