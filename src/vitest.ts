// `import "async-prof/vitest"` adds matchers for profile() results to vitest's expect:
//   expect(result).toHaveNoBlockingOver(50)    no blocking stretch longer than 50 ms
//   expect(result).toHaveNoBlocking()          no blocking stretch at all (over the threshold)
//   expect(result).toHaveLagP99Below(20)       p99 of event-loop lag under 20 ms
//   expect(result).toHaveMaxLagBelow(100)      largest event-loop lag under 100 ms
// Failures name the function and file:line that blocked the loop.
import { expect } from 'vitest';
import { lagP99Below, maxLagBelow, noBlocking, noBlockingOver, type MatcherOutcome } from './api/matchers.js';

export interface AsyncProfMatchers<R = unknown> {
  /** No blocking stretch longer than `ms`. */
  toHaveNoBlockingOver(ms: number): R;
  /** No blocking stretch at all (of the profile's threshold, 50 ms by default, or more). */
  toHaveNoBlocking(): R;
  /** The 99th percentile of event-loop lag is below `ms`. */
  toHaveLagP99Below(ms: number): R;
  /** The largest event-loop lag is below `ms`. */
  toHaveMaxLagBelow(ms: number): R;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-empty-object-type
  interface Matchers<T = any> extends AsyncProfMatchers<T> {}
}

function adapt(outcome: MatcherOutcome, isNot: boolean) {
  return { pass: outcome.pass, message: () => (isNot ? outcome.negatedMessage : outcome.message) };
}

expect.extend({
  toHaveNoBlockingOver(received: unknown, ms: number) {
    return adapt(noBlockingOver(received, ms), this.isNot);
  },
  toHaveNoBlocking(received: unknown) {
    return adapt(noBlocking(received), this.isNot);
  },
  toHaveLagP99Below(received: unknown, ms: number) {
    return adapt(lagP99Below(received, ms), this.isNot);
  },
  toHaveMaxLagBelow(received: unknown, ms: number) {
    return adapt(maxLagBelow(received, ms), this.isNot);
  },
});

export { lagP99Below, maxLagBelow, noBlocking, noBlockingOver };
export type { MatcherOutcome, ProfileLike } from './api/matchers.js';
