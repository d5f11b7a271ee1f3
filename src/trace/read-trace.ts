// Reads a trace file into its records. Tolerates a trace cut short (SIGKILL, full disk):
// everything before the damage is kept and a warning says what was lost.
import { readFileSync, statSync } from 'node:fs';
import { HEADER_BYTES, RECORD_HEADER_BYTES, RecordKind, TRACE_MAGIC, TRACE_VERSION } from '../../contract/index.js';
import type { EndRecord, ErrorRecord, MarkRecord, ModuleRecord, ProfileChunk, TraceMeta } from '../../contract/index.js';
import { TraceError } from '../errors.js';

// The record payloads are the contract's; re-exported for the readers that import them from here.
export type { EndRecord, ErrorRecord, MarkRecord, ModuleRecord, ProfileChunk, TraceMeta } from '../../contract/index.js';

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
  end: EndRecord | null;
  epilogue: EndRecord | null;
  /** When the first user module started (performance.now clock); null: never got that far. */
  scriptStartMs: number | null;
  warnings: string[];
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
    ...fields,
  };
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
    default:
      // Unknown kinds come from newer writers: skipping them keeps old readers working.
      trace.warnings.push(`skipped a record of unknown kind ${kind}`);
  }
}
