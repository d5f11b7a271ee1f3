import { getHeapStatistics } from 'node:v8';
import { buildModel } from '../model/build-model.js';
import type { TraceModel } from '../model/types.js';
import { HeapTooSmallError, TraceError } from '../errors.js';
import { terminalSafeTrace } from '../output/terminal-safe-trace.js';
import { mapProfileLinesToSource } from './original-lines.js';
import { readTrace } from './read-trace.js';

/**
 * Memory the model and the analyses of the report take per recorded event, at their peak
 * (measured: 1.5 GB for the promise-heavy benchmark's 2.2 million events).
 */
const PEAK_BYTES_PER_EVENT = 700;

export interface LoadOptions {
  /**
   * The model is for text on a terminal: every string from the trace is made terminal-safe
   * first (output/terminal-safe-trace.ts), so no printer can pass an escape sequence on.
   */
  forTerminal?: boolean;
  /** Why the trace may stop early, when the caller knows (read-trace.ts). */
  unfinishedBecause?: string;
}

/** Reads a trace file and builds its model (throws TraceError with a one-line message). */
export function loadModel(path: string, options: LoadOptions = {}): TraceModel {
  const read = readTrace(path, { unfinishedBecause: options.unfinishedBecause });
  const raw = options.forTerminal ? terminalSafeTrace(read) : read;
  const events = raw.chunks.reduce((sum, chunk) => sum + chunk.events.length / 4, 0);
  const neededMb = Math.ceil((events * PEAK_BYTES_PER_EVENT) / 1024 ** 2);
  const limitMb = Math.floor(getHeapStatistics().heap_size_limit / 1024 ** 2);
  // A clear line instead of V8's out-of-memory crash halfway through the analyses.
  if (neededMb > limitMb) {
    const heapMb = Math.ceil((neededMb * 1.25) / 1024) * 1024;
    throw new HeapTooSmallError(
      `${path}: ${events.toLocaleString('en-US')} events need about ${neededMb} MB to analyse, more than this process may use (${limitMb} MB); ` +
        `run it again with NODE_OPTIONS=--max-old-space-size=${heapMb} on a machine with that much memory`,
      events,
      neededMb,
      limitMb,
      heapMb,
    );
  }
  mapProfileLinesToSource(raw);
  try {
    return buildModel(raw);
  } catch (error) {
    // A damaged trace (or a version 1 trace, which has no checksums to tell) can hold what the
    // model cannot make sense of: that is the trace's fault, said in one line, not a crash.
    if (!raw.damaged && raw.formatVersion !== 1) throw error;
    const why = raw.damaged ? ` (${raw.warnings[0]})` : '';
    throw new TraceError(`${path} is damaged${why} and could not be analysed`);
  }
}
