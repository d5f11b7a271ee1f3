// After the profiled process is gone (and its trace sealed): each worker thread recorded into a
// part of its own next to the trace (instrument/preload.ts, threadPartPath), because one file
// written by every thread would need one record numbering shared by all of them. Here each
// part's records go into the trace, in order, as Thread records (the thread id, then the record
// as the thread framed it), and the part is removed: one file holds the whole run, and readers
// that predate threads skip them with one warning. Never throws: a part that cannot be folded
// stays where it is, and the reason is returned.
import { Buffer } from 'node:buffer';
import { closeSync, fstatSync, openSync, readdirSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  HEADER_BYTES,
  RECORD_HEADER_BYTES,
  RecordKind,
  CliSeq,
  Stream,
  payloadChecksum,
  processPartPrefix,
  readRecordHeader,
  threadPartPrefix,
  threadRecordHead,
  writeRecordHeader,
} from '../../contract/index.js';
import { FileSource } from './byte-source.js';
import { findNextRecord } from './find-record.js';

/** The files beside `tracePath` whose names start with `prefix`, as [what follows the prefix, path]. */
function partFiles(tracePath: string, prefix: string): [string, string][] {
  const dir = dirname(tracePath);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((name) => name.startsWith(prefix)).map((name) => [name.slice(prefix.length), join(dir, name)]);
}

/** The parts of `tracePath` on disk, as [threadId, path], by thread id. */
export function threadParts(tracePath: string): [number, string][] {
  const parts: [number, string][] = [];
  for (const [suffix, path] of partFiles(tracePath, threadPartPrefix(basename(tracePath)))) {
    const id = Number(suffix);
    if (Number.isInteger(id) && id > 0) parts.push([id, path]);
  }
  return parts.sort((a, b) => a[0] - b[0]);
}

/**
 * The Node child processes' parts of `tracePath` (their own children's and threads' parts are
 * named after theirs: folded into them first), as [number, path], in the order they started.
 */
export function processParts(tracePath: string): [number, string][] {
  const found: { pid: number; n: number; path: string }[] = [];
  for (const [suffix, path] of partFiles(tracePath, processPartPrefix(basename(tracePath)))) {
    const m = /^(\d+)-(\d+)$/.exec(suffix);
    if (m) found.push({ pid: Number(m[1]), n: Number(m[2]), path });
  }
  found.sort((a, b) => a.pid - b.pid || a.n - b.n);
  return found.map((p, i) => [i + 1, p.path]);
}

/** Folds every thread part and child process part of `tracePath` into it; null when all went in, otherwise why not. */
export function foldThreadParts(tracePath: string): string | null {
  const children = processParts(tracePath);
  // A child's own workers and children go into its part first.
  for (const [, path] of children) foldThreadParts(path);
  const parts: [number, string, number][] = [
    ...threadParts(tracePath).map(([id, path]): [number, string, number] => [id, path, RecordKind.Thread]),
    ...children.map(([id, path]): [number, string, number] => [id, path, RecordKind.Process]),
  ];
  if (parts.length === 0) return null;
  let out: number;
  try {
    out = openSync(tracePath, 'a');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'cannot open the trace';
  }
  // The CLI's stream: after the Epilogue and a flight recorder's Window.
  let seq: number = CliSeq.FirstPart;
  let failure: string | null = null;
  try {
    for (const [id, path, kind] of parts) {
      try {
        seq = foldPart(out, id, path, seq, kind);
        unlinkSync(path);
      } catch (error) {
        failure ??= `${basename(path)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
      }
    }
  } finally {
    closeSync(out);
  }
  return failure;
}

/** Appends the whole records of one part; returns the next sequence number. */
function foldPart(out: number, threadId: number, path: string, firstSeq: number, kind: number): number {
  const fd = openSync(path, 'r');
  let seq = firstSeq;
  try {
    const source = new FileSource(fd, fstatSync(fd).size);
    const head = threadRecordHead(threadId);
    const outerHead = Buffer.alloc(RECORD_HEADER_BYTES);
    let offset = HEADER_BYTES;
    while (offset < source.size) {
      const header = readRecordHeader(source.read(offset, RECORD_HEADER_BYTES), 0);
      const end = header === null ? -1 : offset + RECORD_HEADER_BYTES + header.length;
      if (header === null || end > source.size) {
        // Damage, or the record the thread was writing when it ended: the reader of the part
        // would skip it too.
        offset = findNextRecord(source, offset + 1);
        continue;
      }
      const record = source.read(offset, RECORD_HEADER_BYTES + header.length);
      writeRecordHeader(outerHead, 0, {
        kind,
        stream: Stream.Cli,
        length: head.length + record.length,
        seq: seq++,
        payloadCrc: payloadChecksum([head, record]),
      });
      writeAll(out, Buffer.concat([outerHead, head, record]));
      offset = end;
    }
  } finally {
    closeSync(fd);
  }
  return seq;
}

function writeAll(fd: number, bytes: Buffer): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
}
