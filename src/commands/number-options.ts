// Every number the command line takes is parsed here: the option's name in the message, the
// same wording everywhere, and an empty string never taken for 0.
import { InvalidArgumentError } from 'commander';

function parse(value: string): number {
  return value.trim() === '' ? Number.NaN : Number(value);
}

/** A number > 0 (milliseconds, seconds). */
export function positiveNumber(what: string) {
  return (value: string): number => {
    const n = parse(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${what} must be a positive number`);
    return n;
  };
}

/** A number ≥ 0 (a budget). */
export function nonNegativeNumber(what: string) {
  return (value: string): number => {
    const n = parse(value);
    if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${what} must be a number ≥ 0`);
    return n;
  };
}

/** A whole number ≥ min (runs, counts). */
export function wholeNumber(what: string, min: number) {
  return (value: string): number => {
    const n = parse(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${what} must be a whole number ≥ ${min}`);
    return n;
  };
}

/** A TCP port, 0 for any free one. */
export function portNumber(value: string): number {
  const n = parse(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('port must be an integer from 0 to 65535');
  return n;
}

/** 0 (off) or an interval V8's profiler can keep to: 0.1 ms and up. */
export function samplingInterval(what: string) {
  return (value: string): number => {
    const n = parse(value);
    if (!Number.isFinite(n) || (n !== 0 && n < 0.1)) throw new InvalidArgumentError(`${what} must be 0 (off) or at least 0.1 ms`);
    return n;
  };
}

/** "20%" or "20": percent. */
export function percent(what: string) {
  return (value: string): number => {
    const n = parse(value.trim().replace(/%$/, ''));
    if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${what} must be a percentage such as 20%`);
    return n;
  };
}

/** A probability in (0, 1]. */
export function probability(what: string) {
  return (value: string): number => {
    const n = parse(value);
    if (!Number.isFinite(n) || n <= 0 || n > 1) throw new InvalidArgumentError(`${what} must be a number in (0, 1]`);
    return n;
  };
}

/** Help of --blocking-threshold on the commands that analyse a recorded trace. */
export const BLOCKING_THRESHOLD_HELP = 'synchronous stretches at least this long count as blocking (default: what the run was recorded with)';

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/** A duration > 0 with a unit (`500ms`, `10s`, `5m`, `1h`; a bare number is seconds), in ms. */
export function durationMs(what: string) {
  return (value: string): number => {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?\s*$/.exec(value);
    const n = match ? Number(match[1]) * DURATION_UNITS_MS[match[2] ?? 's']! : Number.NaN;
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${what} must be a duration > 0 such as 500ms, 10s, 5m or 1h`);
    return n;
  };
}
