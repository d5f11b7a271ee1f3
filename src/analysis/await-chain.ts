// A blocking stretch held by a chain of awaits rather than by one long call. An await of an async
// function that never waits for I/O or a timer resumes in the same pass of the microtask queue,
// so a loop of such awaits holds the event loop as a busy loop would; its hottest function is
// only where the chain spent most of its time, and the cure differs (yield to the loop now and
// then, or make the functions that never wait plain functions).
//
// Pure and browser-safe. awaitsResumed and longestRunMs come from findBlocking (blocking.ts).
import type { Blocking } from '../model/types.js';

/** At least this many awaits resumed in the stretch, and no single run took half of it. */
const MIN_RESUMES = 100;

export function isAwaitChain(b: Pick<Blocking, 'awaitsResumed' | 'longestRunMs' | 'durationMs'>): boolean {
  return b.awaitsResumed >= MIN_RESUMES && b.longestRunMs < b.durationMs / 2;
}
