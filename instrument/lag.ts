// Event-loop lag by drift: a timer asks to run every `intervalMs`; how late it actually runs is
// the time the loop could not get to it. Unref'd, so it never keeps the script alive.
import { ownCallback } from './own-callbacks.js';
import { primordials } from './primordials.js';
import { EventType } from '../contract/index.js';
import { recorder } from './runtime.js';
import type { OriginalTimers } from './resources.js';

/** Time the profiler itself kept the loop busy (compiling a required file), not the script. */
let excludedMs = 0;
export function excludeFromLag(ms: number): void {
  excludedMs += ms;
}

export function startLagProbe(timers: OriginalTimers, intervalMs: number): () => void {
  let expected = primordials.now() + intervalMs;
  let handle: NodeJS.Timeout;
  const tick = ownCallback(() => {
    const now = primordials.now();
    const late = now - expected - excludedMs;
    excludedMs = 0;
    recorder.sample(EventType.Lag, Math.max(0, Math.round(late * 1000)));
    expected = now + intervalMs;
    handle = timers.setTimeout(tick, intervalMs).unref();
  });
  handle = timers.setTimeout(tick, intervalMs).unref();
  return () => timers.clearTimeout(handle);
}
