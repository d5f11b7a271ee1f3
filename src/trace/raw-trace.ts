// A trace as the analyses get it: its records, decoded and checked (read-trace.ts reads one from
// a file; profile() makes one in memory).
import { TRACE_VERSION, type EndRecord, type ErrorRecord, type MarkRecord, type ModuleRecord, type ProfileChunk, type RoutesRecord, type SchedRecord, type TraceMeta, type WindowRecord } from '../../contract/index.js';

/**
 * Signals that stop a script where it stands, with no End record, while everything up to its
 * last milliseconds is written (the recorder catches no signal): such a trace counts as complete.
 */
export const STOP_SIGNALS: ReadonlySet<string> = new Set(['SIGINT', 'SIGTERM', 'SIGHUP']);

/** An Events record as read: its base time and its events (4 words each). */
export interface EventChunk {
  base: number;
  events: Int32Array;
}

export interface RawTrace {
  path: string;
  meta: TraceMeta;
  modules: ModuleRecord[];
  chunks: EventChunk[];
  profiles: ProfileChunk[];
  errors: ErrorRecord[];
  marks: MarkRecord[];
  /** Names of HTTP request routes (revision 4); absent in older traces. */
  routes?: RoutesRecord[];
  /** CPU run and wait of the main thread (Linux), in time order; absent in older traces. */
  sched?: SchedRecord[];
  end: EndRecord | null;
  epilogue: EndRecord | null;
  /** When the first user module started (performance.now clock); null: never got that far. */
  scriptStartMs: number | null;
  warnings: string[];
  /** The trace format version of the file (TRACE_VERSION for a trace made in memory). */
  formatVersion?: number;
  /** Records were lost, damaged, duplicated or out of order (the warnings say which). */
  damaged?: boolean;
  /** A flight recorder's window (`run --keep`, `snapshot`): only the most recent stretch of the run. */
  window?: WindowRecord;
  /** The worker threads' own traces (Thread records), by thread id; each has its Meta's threadId. */
  threads?: RawTrace[];
  /** The Node child processes' own traces (Process records), in the order they started. */
  processes?: RawTrace[];
}

/** A trace with its Meta and nothing else yet: the reader fills it record by record, profile() at once. */
export function rawTrace(meta: TraceMeta, fields: Partial<Omit<RawTrace, 'meta'>> = {}): RawTrace {
  return {
    path: '',
    meta,
    modules: [],
    chunks: [],
    profiles: [],
    errors: [],
    marks: [],
    end: null,
    epilogue: null,
    scriptStartMs: null,
    warnings: [],
    formatVersion: TRACE_VERSION,
    damaged: false,
    ...fields,
  };
}

