// Reads a trace file, builds its model and analyses it (with the analysis options the command
// was given: the blocking threshold is an argument of the analysis, not of the recording).
import { getHeapStatistics } from 'node:v8';
import { analyse, type AnalysisOptions } from '../analysis/pipeline.js';
import { HeapTooSmallError, TraceError } from '../errors.js';
import { buildModel } from '../model/build-model.js';
import { threadOrigins, timeZeroOf } from '../model/thread-origin.js';
import type { RawTrace } from './raw-trace.js';
import { sourceReader } from '../model/source-reader.js';
import type { TraceModel } from '../model/types.js';
import { terminalSafeTrace } from '../output/terminal-safe-trace.js';
import { mapProfileLinesToSource } from './original-lines.js';
import { readTrace } from './read-trace.js';

/**
 * JavaScript heap to allow per recorded event. The model's columns are typed arrays, which live
 * outside the heap Node limits; what stays on the heap is small (about 20-35 bytes per event,
 * measured on the promise-heavy and await-chain traces), and the report's text is made in pieces
 * that die young; twice that leaves the collector room.
 */
const PEAK_HEAP_BYTES_PER_EVENT = 60;
/** An analysis that takes longer than this shows its progress on stderr (a terminal only). */
const PROGRESS_AFTER_MS = 1000;

export interface LoadOptions {
  /**
   * The model is for text on a terminal: every string from the trace is made terminal-safe
   * first (output/terminal-safe-trace.ts), so no printer can pass an escape sequence on.
   */
  forTerminal?: boolean;
  /** Why the trace may stop early, when the caller knows (read-trace.ts). */
  unfinishedBecause?: string;
  /** Synchronous stretches at least this long are blocking (default: what the run was recorded with). */
  blockingThresholdMs?: number;
  /** Sees (and may thin out) the records as read, before the model is built: the live page's horizon. */
  beforeModel?: (raw: RawTrace) => void;
}

/** Reads a trace file, builds its model and analyses it (throws TraceError with a one-line message). */
export function loadModel(path: string, options: LoadOptions = {}): TraceModel {
  const read = readTrace(path, { unfinishedBecause: options.unfinishedBecause });
  const raw = options.forTerminal ? terminalSafeTrace(read) : read;
  options.beforeModel?.(raw);
  let events = 0;
  const all = [raw, ...(raw.processes ?? [])].flatMap((p) => [p, ...(p.threads ?? [])]);
  for (const trace of all) for (const chunk of trace.chunks) events += chunk.events.length / 4;
  const neededMb = Math.ceil((events * PEAK_HEAP_BYTES_PER_EVENT) / 1024 ** 2);
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
  const progress = progressLine();
  try {
    const model = buildWithThreads(raw, undefined);
    // Node child processes (and their worker threads), on the same time axis.
    const processes = raw.processes ?? [];
    const origins = threadOrigins(raw, processes);
    model.processes = processes.map((child, i) => buildWithThreads(child, origins[i]!));
    for (const m of [model, ...model.threads, ...model.processes.flatMap((p) => [p, ...p.threads])]) {
      analyse(m, { blockingThresholdMs: options.blockingThresholdMs, source: sourceReader(m), onProgress: progress?.update });
    }
    return model;
  } catch (error) {
    // A damaged trace (or a version 1 trace, which has no checksums to tell) can hold what the
    // model cannot make sense of: that is the trace's fault, said in one line, not a crash.
    if (!raw.damaged && raw.formatVersion !== 1) throw error;
    const why = raw.damaged ? ` (${raw.warnings[0]})` : '';
    throw new TraceError(`${path} is damaged${why} and could not be analysed`);
  } finally {
    progress?.done();
  }
}

/**
 * A process's model (time zero `originMs` on its clock; its own Start when undefined) and its
 * worker threads' on the same axis, each analysed as a run of its own by the caller.
 */
function buildWithThreads(raw: RawTrace, originMs: number | undefined): TraceModel {
  mapProfileLinesToSource(raw);
  for (const thread of raw.threads ?? []) mapProfileLinesToSource(thread);
  const threads = raw.threads ?? [];
  const zero = originMs ?? timeZeroOf(raw);
  const origins = threadOrigins({ scriptStartMs: zero, meta: raw.meta }, threads);
  const model = buildModel(raw, { originMs: zero });
  // The event chunks are in the model's columns now: let them go before the analyses run.
  raw.chunks.length = 0;
  model.threads = threads.map((thread, i) => buildModel(thread, { originMs: origins[i]! }));
  return model;
}

/** "async-prof: analysing: dependencies 42%" on stderr, once the analysis has taken a second (terminals only). */
function progressLine(): { update: NonNullable<AnalysisOptions['onProgress']>; done(): void } | undefined {
  if (process.stderr.isTTY !== true) return undefined;
  const started = performance.now();
  let shown = false;
  let last = '';
  return {
    update(pass, fraction) {
      if (performance.now() - started < PROGRESS_AFTER_MS) return;
      const text = `async-prof: analysing: ${pass} ${Math.floor(fraction * 100)}%`;
      if (text === last) return;
      last = text;
      shown = true;
      process.stderr.write(`\r\x1b[2K${text}`);
    },
    done() {
      if (shown) process.stderr.write('\r\x1b[2K');
    },
  };
}
