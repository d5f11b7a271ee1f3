// Assertions over a profile() result (or any report JSON), independent of the test framework:
// each returns pass/fail and the message a failure should print. src/vitest.ts adapts them to
// expect.extend; other frameworks can call them directly.

/** The parts of a report that the matchers read. */
export interface ProfileLike {
  lag: { p50Ms: number; p90Ms: number; p99Ms: number; maxMs: number; meanMs: number };
  blocking: {
    durationMs: number;
    function: string;
    file: string;
    line: number;
    inside?: { function: string; file: string; line: number } | null;
  }[];
  blockingThresholdMs?: number;
  /** 0: the sampling profiler was off, so blocking was not measured. */
  samplingIntervalMs?: number;
}

export interface MatcherOutcome {
  pass: boolean;
  /** For a failure of the positive form. */
  message: string;
  /** For a failure of the negated form (`.not`). */
  negatedMessage: string;
}

const ms = (v: number) => `${Math.round(v * 10) / 10} ms`;

function isProfileLike(value: unknown): value is ProfileLike {
  const v = value as ProfileLike | null;
  return v !== null && typeof v === 'object' && typeof v.lag?.p99Ms === 'number' && Array.isArray(v.blocking);
}

function check(value: unknown): asserts value is ProfileLike {
  if (!isProfileLike(value)) {
    throw new TypeError('expected the result of profile() (an object with "lag" and "blocking"); did you forget to await profile(...)?');
  }
}

/** An empty `blocking` from a run without the sampling profiler proves nothing either way. */
function checkBlockingMeasured(value: ProfileLike): void {
  if (value.samplingIntervalMs === 0) {
    throw new TypeError('blocking was not measured: the sampling profiler was off (samplingIntervalUs: 0 / --sampling-interval 0)');
  }
}

export function describeBlocking(b: ProfileLike['blocking'][number]): string {
  const inside = b.inside && b.inside.function ? ` inside ${b.inside.function}` : '';
  return `${b.function} at ${b.file}:${b.line} blocked the event loop for ${ms(b.durationMs)}${inside}`;
}

function longest(result: ProfileLike): ProfileLike['blocking'][number] | null {
  let best: ProfileLike['blocking'][number] | null = null;
  for (const b of result.blocking) if (!best || b.durationMs > best.durationMs) best = b;
  return best;
}

function blamed(result: ProfileLike): string {
  const b = longest(result);
  return b ? `; the longest blocking stretch: ${describeBlocking(b)}` : '';
}

function list(stretches: ProfileLike['blocking']): string {
  return [...stretches]
    .sort((a, b) => b.durationMs - a.durationMs)
    .slice(0, 5)
    .map((b) => `\n  - ${describeBlocking(b)}`)
    .join('');
}

export function noBlockingOver(value: unknown, limitMs: number): MatcherOutcome {
  check(value);
  checkBlockingMeasured(value);
  const over = value.blocking.filter((b) => b.durationMs > limitMs);
  return {
    pass: over.length === 0,
    message: `expected no blocking stretch over ${ms(limitMs)}, found ${over.length}:${list(over)}`,
    negatedMessage: `expected a blocking stretch over ${ms(limitMs)}, found none${blamed(value)}`,
  };
}

export function noBlocking(value: unknown): MatcherOutcome {
  check(value);
  checkBlockingMeasured(value);
  const threshold = value.blockingThresholdMs !== undefined ? ` (stretches of ${ms(value.blockingThresholdMs)} or more)` : '';
  return {
    pass: value.blocking.length === 0,
    message: `expected no blocking${threshold}, found ${value.blocking.length}:${list(value.blocking)}`,
    negatedMessage: `expected blocking${threshold}, found none`,
  };
}

export function lagP99Below(value: unknown, limitMs: number): MatcherOutcome {
  check(value);
  const { p50Ms, p99Ms, maxMs } = value.lag;
  const found = `found ${ms(p99Ms)} (p50 ${ms(p50Ms)}, max ${ms(maxMs)})`;
  return {
    pass: p99Ms < limitMs,
    message: `expected event-loop lag p99 below ${ms(limitMs)}, ${found}${blamed(value)}`,
    negatedMessage: `expected event-loop lag p99 of ${ms(limitMs)} or more, ${found}`,
  };
}

export function maxLagBelow(value: unknown, limitMs: number): MatcherOutcome {
  check(value);
  const found = `found ${ms(value.lag.maxMs)} (p99 ${ms(value.lag.p99Ms)})`;
  return {
    pass: value.lag.maxMs < limitMs,
    message: `expected the largest event-loop lag below ${ms(limitMs)}, ${found}${blamed(value)}`,
    negatedMessage: `expected an event-loop lag of ${ms(limitMs)} or more, ${found}`,
  };
}
