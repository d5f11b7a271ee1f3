// Reads a trace file into its records, one record at a time (memory holds what the trace says,
// never the file). Damage is survived where it can be: a version 2 trace frames every record
// with checksums and a sequence number, so a damaged record is skipped, the next whole one found,
// duplicated and reordered records put right and missing ones counted; each kind of damage is
// one warning. A trace that cannot be read at all (no Meta, not a trace) is a TraceError: exit 1,
// one line.
import { closeSync, fstatSync, openSync } from 'node:fs';
import {
  HEADER_BYTES,
  READABLE_TRACE_VERSIONS,
  RECORD_HEADER_BYTES,
  RECORD_SYNC_BYTES,
  TRACE_MAGIC,
  TRACE_VERSION,
  V1_RECORD_HEADER_BYTES,
  payloadChecksum,
  readRecordHeader,
} from '../../contract/index.js';
import { TraceError } from '../errors.js';
import { BufferSource, FileSource, type ByteSource } from './byte-source.js';
import { findNextRecord } from './find-record.js';
import { threadParts } from './fold-thread-parts.js';
import { TraceAssembler, isV1Kind } from './trace-assembler.js';

// The trace as read, and the record payload types, for the readers that import them from here.
export { rawTrace, type EventChunk, type RawTrace } from './raw-trace.js';
export type { EndRecord, ErrorRecord, MarkRecord, ModuleRecord, ProfileChunk, SchedRecord, TraceMeta } from '../../contract/index.js';
import type { RawTrace } from './raw-trace.js';

export interface ReadOptions {
  /**
   * Why the trace has no End record, when the caller knows (the disk filled up): said in the one
   * warning about the unfinished trace, instead of a guess.
   */
  unfinishedBecause?: string;
}

export function readTrace(path: string, options: ReadOptions = {}): RawTrace {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new TraceError(code === 'ENOENT' ? `trace not found: ${path}` : `cannot read trace ${path}: ${code ?? (error as Error).message}`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new TraceError(`${path} is not a file`);
    const raw = readSource(new FileSource(fd, stat.size), path, options);
    // Worker threads' parts the CLI could not fold in (it was stopped, or the disk was full).
    const left = threadParts(path);
    if (left.length > 0) raw.warnings.push(`${left.length} worker thread part${left.length > 1 ? 's were' : ' was'} not folded into the trace (${left.map(([id]) => `thread ${id}`).join(', ')}): those threads are missing from it`);
    return raw;
  } catch (error) {
    if (error instanceof TraceError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new TraceError(`cannot read trace ${path}: ${code ?? (error as Error).message}`);
  } finally {
    closeSync(fd);
  }
}

/** The same for a trace already in memory. */
export function parseTrace(bytes: Buffer, path: string): RawTrace {
  return readSource(new BufferSource(bytes), path);
}

function readSource(source: ByteSource, path: string, options: ReadOptions = {}): RawTrace {
  const header = source.read(0, HEADER_BYTES);
  if (header.length < HEADER_BYTES || header.toString('latin1', 0, 8) !== TRACE_MAGIC) {
    throw new TraceError(`${path} is not an async-prof trace (bad header)`);
  }
  const version = header.readUInt32LE(8);
  if (!READABLE_TRACE_VERSIONS.includes(version)) {
    const newer = version > TRACE_VERSION ? ', written by a newer async-prof' : '';
    throw new TraceError(`${path} is trace format v${version}${newer}; this async-prof reads v${READABLE_TRACE_VERSIONS.join(' and v')}`);
  }
  const assembler = new TraceAssembler(path, version);
  if (version === 1) readV1Records(source, assembler);
  else readV2Records(source, assembler);
  return assembler.finish(options.unfinishedBecause);
}

function readV2Records(source: ByteSource, assembler: TraceAssembler): void {
  const { damage } = assembler;
  const size = source.size;
  let offset = HEADER_BYTES;
  while (offset < size) {
    const headBytes = source.read(offset, RECORD_HEADER_BYTES);
    const header = readRecordHeader(headBytes, 0);
    if (header === null) {
      if (headBytes.length < RECORD_HEADER_BYTES && startsLikeSync(headBytes)) {
        damage.cutShort(offset, null, headBytes.length);
        break;
      }
      const next = findNextRecord(source, offset + 1);
      damage.unreadable(offset, next - offset, next >= size);
      offset = next;
      continue;
    }
    const end = offset + RECORD_HEADER_BYTES + header.length;
    if (end > size) {
      // The last record, cut short; or one whose write failed half-way, with others after it.
      const next = findNextRecord(source, offset + RECORD_HEADER_BYTES);
      if (next >= size) {
        damage.cutShort(offset, header.kind, size - offset);
        break;
      }
      assembler.damagedRecord(offset, header.kind, 'cut short');
      offset = next;
      continue;
    }
    const payload = source.read(offset + RECORD_HEADER_BYTES, header.length);
    if (payloadChecksum([payload]) !== header.payloadCrc) {
      const next = findNextRecord(source, offset + RECORD_HEADER_BYTES);
      assembler.damagedRecord(offset, header.kind, next < end ? 'cut short' : 'checksum mismatch');
      offset = Math.min(next, end);
      continue;
    }
    assembler.add(header.kind, header.stream, header.seq, payload, offset);
    offset = end;
  }
}

/** A header cut off by the end of the file still begins with (part of) the sync word. */
function startsLikeSync(bytes: Buffer): boolean {
  const n = Math.min(bytes.length, RECORD_SYNC_BYTES.length);
  for (let i = 0; i < n; i++) if (bytes[i] !== RECORD_SYNC_BYTES[i]) return false;
  return n > 0;
}

/** Version 1 has no checksums and no sync word: after damage there is no telling where a record starts. */
function readV1Records(source: ByteSource, assembler: TraceAssembler): void {
  const { damage } = assembler;
  const size = source.size;
  let offset = HEADER_BYTES;
  while (offset < size) {
    if (offset + V1_RECORD_HEADER_BYTES > size) {
      damage.cutShort(offset, null, size - offset);
      return;
    }
    const head = source.read(offset, V1_RECORD_HEADER_BYTES);
    const kind = head.readUInt32LE(0);
    const length = head.readUInt32LE(4);
    if (!isV1Kind(kind)) {
      damage.unreadable(offset, size - offset, true);
      return;
    }
    const end = offset + V1_RECORD_HEADER_BYTES + length;
    if (end > size) {
      damage.cutShort(offset, kind, size - offset);
      return;
    }
    assembler.add(kind, null, 0, source.read(offset + V1_RECORD_HEADER_BYTES, length), offset);
    offset = end;
  }
}
