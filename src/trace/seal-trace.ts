// After the profiled process is gone: drop any half-written last record and append an Epilogue
// with how it really ended. The process's own End record cannot know: exit handlers of the
// script run after the profiler's and may still set process.exitCode, and SIGKILL leaves no End.
// Never throws: a trace that cannot be sealed is still read (with a warning that it is unfinished).
import { Buffer } from 'node:buffer';
import { closeSync, fstatSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import {
  HEADER_BYTES,
  RECORD_HEADER_BYTES,
  RecordKind,
  CliSeq,
  Stream,
  TRACE_VERSION,
  V1_RECORD_HEADER_BYTES,
  payloadChecksum,
  readRecordHeader,
  writeRecordHeader,
} from '../../contract/index.js';
import { FileSource, type ByteSource } from './byte-source.js';
import { findNextRecord } from './find-record.js';

export interface Epilogue {
  exitCode: number;
  signal: string | null;
  timedOut: boolean;
}

/** Null when sealed; otherwise why not (one line). */
export function sealTrace(path: string, epilogue: Epilogue): string | null {
  let fd: number;
  try {
    fd = openSync(path, 'r+');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'cannot open the trace';
  }
  try {
    const source = new FileSource(fd, fstatSync(fd).size);
    if (source.size < HEADER_BYTES) return 'the trace has no header';
    const version = source.read(8, 4).readUInt32LE(0);
    const json = Buffer.from(JSON.stringify(epilogue), 'utf8');
    if (version === TRACE_VERSION) {
      const { end, lastKind } = lastWholeRecordV2(source);
      if (lastKind === RecordKind.Epilogue) return null;
      if (end < source.size) ftruncateSync(fd, end);
      const head = Buffer.alloc(RECORD_HEADER_BYTES);
      writeRecordHeader(head, 0, { kind: RecordKind.Epilogue, stream: Stream.Cli, length: json.length, seq: CliSeq.Epilogue, payloadCrc: payloadChecksum([json]) });
      writeAll(fd, Buffer.concat([head, json]), end);
    } else {
      const { end, lastKind } = lastWholeRecordV1(source);
      if (lastKind === RecordKind.Epilogue) return null;
      if (end < source.size) ftruncateSync(fd, end);
      const head = Buffer.alloc(V1_RECORD_HEADER_BYTES);
      head.writeUInt32LE(RecordKind.Epilogue, 0);
      head.writeUInt32LE(json.length, 4);
      writeAll(fd, Buffer.concat([head, json]), end);
    }
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String((error as Error)?.message ?? error);
  } finally {
    try {
      closeSync(fd);
    } catch {
      // Nothing was left to write.
    }
  }
}

function writeAll(fd: number, bytes: Buffer, position: number): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
}

/**
 * Where the last whole record ends. Damage in the middle (a write from one thread that failed
 * half-way, followed by the other thread's records) is stepped over, as the reader does; only
 * what follows the last whole record is cut off.
 */
function lastWholeRecordV2(source: ByteSource): { end: number; lastKind: number } {
  let offset = HEADER_BYTES;
  let end = HEADER_BYTES;
  let lastKind = 0;
  while (offset < source.size) {
    const header = readRecordHeader(source.read(offset, RECORD_HEADER_BYTES), 0);
    const next = header === null ? -1 : offset + RECORD_HEADER_BYTES + header.length;
    // Checked to the payload: a record cut short may claim bytes that are another thread's records.
    if (header === null || next > source.size || payloadChecksum([source.read(offset + RECORD_HEADER_BYTES, header.length)]) !== header.payloadCrc) {
      offset = findNextRecord(source, offset + 1);
      continue;
    }
    lastKind = header.kind;
    end = next;
    offset = next;
  }
  return { end, lastKind };
}

function lastWholeRecordV1(source: ByteSource): { end: number; lastKind: number } {
  let offset = HEADER_BYTES;
  let lastKind = 0;
  while (offset + V1_RECORD_HEADER_BYTES <= source.size) {
    const head = source.read(offset, V1_RECORD_HEADER_BYTES);
    const next = offset + V1_RECORD_HEADER_BYTES + head.readUInt32LE(4);
    if (next > source.size) break;
    lastKind = head.readUInt32LE(0);
    offset = next;
  }
  return { end: offset, lastKind };
}
