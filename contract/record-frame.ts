// How version 2 frames a record (docs/trace-format.md, "Records"): a 24-byte header with a sync
// word, the kind, the writer's stream, the payload length, the record's sequence number in its
// stream, a CRC-32 of the payload and a CRC-32 of the header itself. The sync word and the
// header's own checksum let a reader find the next whole record after any damage; the sequence
// numbers let it tell duplicated, reordered and missing records.
import { crc32 } from 'node:zlib';

/** Bytes 0x9e 'R' 'E' 'C' as a little-endian u32. */
export const RECORD_SYNC = 0x4345529e;
export const RECORD_SYNC_BYTES: Readonly<Uint8Array> = Uint8Array.of(0x9e, 0x52, 0x45, 0x43);
export const RECORD_HEADER_BYTES = 24;
/** The largest payload a reader accepts: anything longer is damage, not a record. */
export const MAX_RECORD_PAYLOAD_BYTES = 256 * 1024 ** 2;

/** Who wrote a record; each stream numbers its records from 0. */
export const Stream = {
  /** The profiled process's main thread (TraceWriter): Meta first, End last. */
  Process: 0,
  /**
   * Event chunks, numbered in the order the recorder filled them, whichever thread wrote them;
   * a chunk may come in several parts: seq = chunk number << 16 | part (instrument/event-pipe-layout.ts).
   */
  Events: 1,
  /** The CLI, after the process ended (Epilogue). */
  Cli: 2,
  /** The recorder thread's own records (Sched). */
  Recorder: 3,
} as const;
export const STREAM_COUNT = 4;

/** The places of the CLI's own records in its stream (Stream.Cli): each kind has its own numbers. */
export const CliSeq = {
  /** The Epilogue: the process's real exit code. */
  Epilogue: 0,
  /** A flight recorder's Window record. */
  Window: 1,
  /** The first of the Thread and Process records folded in from the parts (then 3, 4, ...). */
  FirstPart: 2,
} as const;

export interface RecordHeader {
  kind: number;
  stream: number;
  length: number;
  seq: number;
  payloadCrc: number;
}

/** CRC-32 of a payload given in parts (as it is written: one writev of several ranges). */
export function payloadChecksum(parts: readonly Uint8Array[]): number {
  let crc = 0;
  for (const part of parts) crc = crc32(part, crc);
  return crc;
}

/** Fills `into` (24 bytes from `offset`) with the header of a record. */
export function writeRecordHeader(into: Buffer, offset: number, header: RecordHeader): void {
  into.writeUInt32LE(RECORD_SYNC, offset);
  into.writeUInt16LE(header.kind, offset + 4);
  into.writeUInt16LE(header.stream, offset + 6);
  into.writeUInt32LE(header.length, offset + 8);
  into.writeUInt32LE(header.seq >>> 0, offset + 12);
  into.writeUInt32LE(header.payloadCrc >>> 0, offset + 16);
  into.writeUInt32LE(crc32(into.subarray(offset, offset + 20)), offset + 20);
}

/** The header at `offset`, or null when those 24 bytes are not a whole, undamaged record header. */
export function readRecordHeader(bytes: Buffer, offset: number): RecordHeader | null {
  if (offset + RECORD_HEADER_BYTES > bytes.length) return null;
  if (bytes.readUInt32LE(offset) !== RECORD_SYNC) return null;
  if (crc32(bytes.subarray(offset, offset + 20)) !== bytes.readUInt32LE(offset + 20)) return null;
  const header = {
    kind: bytes.readUInt16LE(offset + 4),
    stream: bytes.readUInt16LE(offset + 6),
    length: bytes.readUInt32LE(offset + 8),
    seq: bytes.readUInt32LE(offset + 12),
    payloadCrc: bytes.readUInt32LE(offset + 16),
  };
  if (header.stream >= STREAM_COUNT || header.length > MAX_RECORD_PAYLOAD_BYTES) return null;
  return header;
}
