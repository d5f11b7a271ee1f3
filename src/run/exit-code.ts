import { constants } from 'node:os';

/** A child's exit as a shell reports it: its own code, or 128 + the number of the signal that ended it. */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  return code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1);
}
