// A flight recorder's window as one ordinary trace file: the segments the recorder kept (oldest
// first) and the file being written now, their records in that order, each (stream, sequence
// number) once. Every segment starts with copies of the run's header records (Meta, Start, the
// modules so far), so the first copy is kept and the others dropped; the Window record says what
// the file is (contract: RecordKind.Window). Readers put event chunks in order by their numbers.
import { Buffer } from 'node:buffer';
import { closeSync, fstatSync, openSync, readSync, renameSync, writeSync, type PathLike } from 'node:fs';
import {
  HEADER_BYTES,
  RECORD_HEADER_BYTES,
  RecordKind,
  CliSeq,
  Stream,
  TRACE_MAGIC,
  TRACE_VERSION,
  payloadChecksum,
  readRecordHeader,
  writeRecordHeader,
  type WindowRecord,
} from '../../contract/index.js';

/** The Window record's place in the CLI's stream. */
export const WINDOW_SEQ = CliSeq.Window;

export function fileHeader(): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(TRACE_MAGIC, 0, 'latin1');
  header.writeUInt32LE(TRACE_VERSION, 8);
  return header;
}

/** One whole record (header and payload) of the CLI's stream. */
export function windowRecord(window: WindowRecord): Buffer {
  const json = Buffer.from(JSON.stringify(window), 'utf8');
  const head = Buffer.alloc(RECORD_HEADER_BYTES);
  writeRecordHeader(head, 0, { kind: RecordKind.Window, stream: Stream.Cli, length: json.length, seq: WINDOW_SEQ, payloadCrc: payloadChecksum([json]) });
  return Buffer.concat([head, json]);
}

/** The whole records of a file's bytes (after its file header), as [kind, stream, seq, start, end]; stops at the first damage (a half-written last record). */
export function* records(bytes: Buffer): Generator<{ kind: number; stream: number; seq: number; start: number; end: number }> {
  let at = HEADER_BYTES;
  for (;;) {
    const head = readRecordHeader(bytes, at);
    if (!head) return;
    const end = at + RECORD_HEADER_BYTES + head.length;
    if (end > bytes.length) return;
    yield { kind: head.kind, stream: head.stream, seq: head.seq, start: at, end };
    at = end;
  }
}

/** Reads an open file whole (its size now: a writer may still append). */
export function readOpenFile(fd: number): Buffer {
  const size = fstatSync(fd).size;
  const bytes = Buffer.alloc(size);
  let done = 0;
  while (done < size) {
    const n = readSync(fd, bytes, done, size - done, done);
    if (n === 0) break;
    done += n;
  }
  return bytes.subarray(0, done);
}

/**
 * Writes the window held by `fds` (open files, oldest first) to `out` (through a temporary file
 * and a rename, so a reader never sees half of it). Returns the bytes written.
 */
export function writeWindow(fds: number[], out: string, window: WindowRecord): number {
  const temp = `${out}.partial-${process.pid}`;
  const fd = openSync(temp, 'w');
  let written = 0;
  const put = (bytes: Uint8Array) => {
    let at = 0;
    while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
    written += bytes.length;
  };
  try {
    put(fileHeader());
    put(windowRecord(window));
    const seen = new Set<string>();
    for (const source of fds) {
      const bytes = readOpenFile(source);
      for (const r of records(bytes)) {
        // Earlier windows' notes and epilogues are not this file's.
        if (r.stream === Stream.Cli) continue;
        const key = `${r.stream}:${r.seq}`;
        if (seen.has(key)) continue;
        seen.add(key);
        put(bytes.subarray(r.start, r.end));
      }
    }
  } finally {
    closeSync(fd);
  }
  renameSync(temp, out as string & PathLike);
  return written;
}
