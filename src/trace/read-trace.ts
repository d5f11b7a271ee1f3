// Reads a trace file into its records. Tolerates a trace cut short (SIGKILL, full disk):
// everything before the damage is kept and a warning says what was lost.
import { readFileSync, statSync } from 'node:fs';
import { HEADER_BYTES, RECORD_HEADER_BYTES, RecordKind, TRACE_MAGIC, TRACE_VERSION } from '../../instrument/protocol.js';
import type { ProfileChunk } from '../../instrument/profiler.js';
import { TraceError } from '../errors.js';

export interface TraceMeta {
  version: number;
  script: string;
  args: string[];
  cwd: string;
  pid: number;
  node: string;
  platform: string;
  arch: string;
  startEpochMs: number;
  originMs: number;
  hrOriginMs: number;
  blockingThresholdMs: number;
  samplingIntervalUs: number;
  lagIntervalMs: number;
  clockTickUs: number;
  profilerDir: string;
}

export interface ModuleRecord {
  file: string;
  firstId: number;
  functions: (string | number)[];
  ranges: number[];
}

export interface EventChunk {
  base: number;
  events: Int32Array;
}

export interface ErrorRecord {
  origin: string;
  atMs?: number;
  name?: string;
  message: string;
  stack?: string | null;
}

export interface EndRecord {
  exitCode: number | null;
  signal: string | null;
  endMs?: number;
  elu?: number;
  dropped?: number;
  tasks?: number;
}

export interface MarkRecord {
  entries: { name: string; entryType: 'mark' | 'measure'; startTime: number; duration: number; detail?: unknown }[];
}

/**
 * The recorder's scheduler samples of the main thread (Linux /proc/self/task/<tid>/schedstat,
 * about every 1 ms): `times` in ms on the event chunks' clock, `runNs` and `waitNs` cumulative ns
 * on a CPU and waiting runnable for one. Several records per trace, in time order.
 */
export interface SchedRecord {
  tid: number;
  times: number[];
  runNs: number[];
  waitNs: number[];
}

/** Record kind of SchedRecord (RecordKind.Sched in instrument/protocol.ts once the recorder writes it). */
const SCHED_RECORD_KIND = 10;

export interface RawTrace {
  path: string;
  meta: TraceMeta;
  modules: ModuleRecord[];
  chunks: EventChunk[];
  profiles: ProfileChunk[];
  errors: ErrorRecord[];
  marks: MarkRecord[];
  end: EndRecord | null;
  epilogue: EndRecord | null;
  /** When the first user module started (performance.now clock); null: never got that far. */
  scriptStartMs: number | null;
  /** Scheduler samples (absent from traces of recorders that do not write them). */
  sched?: SchedRecord[];
  warnings: string[];
}

export function readTrace(path: string): RawTrace {
  let bytes: Buffer;
  try {
    if (!statSync(path).isFile()) throw new TraceError(`${path} is not a file`);
    bytes = readFileSync(path);
  } catch (error) {
    if (error instanceof TraceError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new TraceError(code === 'ENOENT' ? `trace not found: ${path}` : `cannot read trace ${path}: ${code ?? (error as Error).message}`);
  }
  return parseTrace(bytes, path);
}

export function parseTrace(bytes: Buffer, path: string): RawTrace {
  if (bytes.length < HEADER_BYTES || bytes.toString('latin1', 0, 8) !== TRACE_MAGIC) {
    throw new TraceError(`${path} is not an async-prof trace (bad header)`);
  }
  const version = bytes.readUInt32LE(8);
  if (version !== TRACE_VERSION) {
    throw new TraceError(`${path} is trace format v${version}; this async-prof reads v${TRACE_VERSION}`);
  }
  const trace: Omit<RawTrace, 'meta'> & { meta: TraceMeta | null } = {
    path,
    meta: null,
    modules: [],
    chunks: [],
    profiles: [],
    errors: [],
    marks: [],
    end: null,
    epilogue: null,
    scriptStartMs: null,
    warnings: [],
  };
  let offset = HEADER_BYTES;
  while (offset < bytes.length) {
    if (offset + RECORD_HEADER_BYTES > bytes.length) {
      trace.warnings.push(`trace ends in the middle of a record (${bytes.length - offset} bytes lost)`);
      break;
    }
    const kind = bytes.readUInt32LE(offset);
    const length = bytes.readUInt32LE(offset + 4);
    const start = offset + RECORD_HEADER_BYTES;
    if (start + length > bytes.length) {
      trace.warnings.push(`trace ends in the middle of a record (${bytes.length - offset} bytes lost)`);
      break;
    }
    const payload = bytes.subarray(start, start + length);
    offset = start + length;
    try {
      readRecord(trace, kind, payload);
    } catch (error) {
      if (error instanceof TraceError) throw error;
      throw new TraceError(`${path} is corrupt: unreadable record of kind ${kind} at byte ${start - RECORD_HEADER_BYTES}`);
    }
  }
  if (!trace.meta) throw new TraceError(`${path} is corrupt or empty: no metadata record`);
  if (!trace.end) {
    const how = trace.epilogue?.signal ? ` (${trace.epilogue.signal})` : trace.epilogue ? ` (exit ${trace.epilogue.exitCode})` : '';
    trace.warnings.push(`the profiled process did not finish writing its trace${how}: showing what was recorded up to its last flush`);
  }
  return trace as RawTrace;
}

function readRecord(trace: Omit<RawTrace, 'meta'> & { meta: TraceMeta | null }, kind: number, payload: Buffer): void {
  const json = () => JSON.parse(payload.toString('utf8')) as unknown;
  switch (kind) {
    case RecordKind.Meta:
      trace.meta = json() as TraceMeta;
      return;
    case RecordKind.Events: {
      const base = payload.readDoubleLE(0);
      const count = payload.readUInt32LE(8);
      if (16 + count * 16 !== payload.length) throw new Error('bad event chunk length');
      // Copy: the payload is not 4-byte aligned in the file buffer.
      const events = new Int32Array(count * 4);
      new Uint8Array(events.buffer).set(payload.subarray(16));
      trace.chunks.push({ base, events });
      return;
    }
    case RecordKind.Module:
      trace.modules.push(json() as ModuleRecord);
      return;
    case RecordKind.Profile:
      trace.profiles.push(json() as ProfileChunk);
      return;
    case RecordKind.Error:
      trace.errors.push(json() as ErrorRecord);
      return;
    case RecordKind.End:
      trace.end = json() as EndRecord;
      return;
    case RecordKind.Epilogue:
      trace.epilogue = json() as EndRecord;
      return;
    case RecordKind.Start:
      trace.scriptStartMs = (json() as { atMs: number }).atMs;
      return;
    case RecordKind.Marks:
      trace.marks.push(json() as MarkRecord);
      return;
    case SCHED_RECORD_KIND:
      (trace.sched ??= []).push(json() as SchedRecord);
      return;
    default:
      // Unknown kinds come from newer writers: skipping them keeps old readers working.
      trace.warnings.push(`skipped a record of unknown kind ${kind}`);
  }
}
