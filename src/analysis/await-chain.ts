// A blocking stretch held by a chain of awaits rather than by one long call. An await of an async
// function that never waits for I/O or a timer resumes in the same pass of the microtask queue,
// so a loop of such awaits holds the event loop as a busy loop would; its hottest function is
// only where the chain spent most of its time, and the cure differs (yield to the loop now and
// then, or make the functions that never wait plain functions).
//
// Many callbacks of timers or I/O landing at once (10,000 timers expiring together) also resume
// many awaits back to back; they are not a chain: what those awaits waited for did wait.
//
// Pure and browser-safe. The counts come from the blocking pass (runs-inside-stretches.ts).
import type { Blocking } from './results.js';

/** At least this many awaits resumed in the stretch, and no single run took half of it. */
const MIN_RESUMES = 100;
/** At most one timer or I/O callback per this many resumes. */
const RESUMES_PER_CALLBACK = 10;

export function isAwaitChain(b: Pick<Blocking, 'awaitsResumed' | 'longestRunMs' | 'durationMs' | 'resourceCallbacks'>): boolean {
  return (
    b.awaitsResumed >= MIN_RESUMES &&
    b.longestRunMs < b.durationMs / 2 &&
    b.resourceCallbacks * RESUMES_PER_CALLBACK <= b.awaitsResumed
  );
}
