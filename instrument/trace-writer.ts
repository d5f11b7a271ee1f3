// Appends records to the trace file with synchronous writes, so whatever was flushed survives
// any way the process can end, including SIGKILL. Runs on the profiled process's main thread;
// the recorder worker (recorder-worker.ts) appends event chunks to the same file.
//
// A TraceWriter never throws into the profiled program. The API the preload relies on:
//
//   new TraceWriter(path, maxBytes, { onFailure })   never throws, even if the file cannot be opened
//   writer.failed      null while the writer works; after the first failed write (ENOSPC, EIO,
//                      EBADF, EFBIG past a file-size limit, EACCES at open, ...) the reason, one
//                      line such as "ENOSPC: no space left on device, write". It stays off for good.
//   onFailure(reason)  called once, when that happens (exceptions it throws are swallowed)
//   writeJson / writeRecord / writeEventChunk
//                      true when the record was written; false when it was not (the writer is off,
//                      no room under maxBytes, or a value JSON cannot encode): callers count what
//                      they drop, and never need a try/catch
//   close()            never throws
//
// Records written before a failure stay readable: a half-written last record is cut off by the
// reader, which resumes at the next whole record (trace format version 2, contract/record-frame.ts).
import { Buffer } from 'node:buffer';
import { closeSync, fstatSync, openSync, writeSync, writevSync } from 'node:fs';
import {
  EVENT_BYTES,
  EVENT_CHUNK_HEAD_BYTES,
  HEADER_BYTES,
  RECORD_HEADER_BYTES,
  RecordKind,
  Stream,
  TRACE_MAGIC,
  TRACE_VERSION,
  payloadChecksum,
  writeEventChunkHead,
  writeRecordHeader,
} from '../contract/index.js';
import { REPLACED_CHECK_EVERY_MS, fileReplaced } from './file-replaced.js';
import { primordials } from './primordials.js';

// Taken when the preload loads, before the program could replace them.
const stringify = JSON.stringify;

export interface TraceWriterOptions {
  /** Called once with the reason when the writer turns itself off after a failed write. */
  onFailure?: (reason: string) => void;
  /** `run --keep`: reopen the path when the CLI put another file there (file-replaced.ts); the size limit is per file. */
  reopenWhenReplaced?: boolean;
}

/** One line from whatever a file operation threw. */
export function failureReason(error: unknown): string {
  try {
    const e = error as NodeJS.ErrnoException | null;
    const text = typeof e?.message === 'string' ? e.message : String(error);
    return text.split('\n')[0]!.slice(0, 300);
  } catch {
    return 'unknown error';
  }
}

export class TraceWriter {
  /** Null while the writer works; the reason it stopped once a write failed. */
  failed: string | null = null;
  onFailure: ((reason: string) => void) | null;
  private fd: number | null = null;
  private bytes = 0;
  private seq = 0;
  private readonly eventHead = Buffer.alloc(EVENT_CHUNK_HEAD_BYTES);
  private readonly reopen: boolean;
  private checkedAt = 0;

  constructor(
    private readonly path: string,
    private readonly maxBytes: number,
    options: TraceWriterOptions = {},
  ) {
    this.onFailure = options.onFailure ?? null;
    this.reopen = options.reopenWhenReplaced === true;
    try {
      const header = Buffer.alloc(HEADER_BYTES);
      header.write(TRACE_MAGIC, 0, 'latin1');
      header.writeUInt32LE(TRACE_VERSION, 8);
      const fd = openSync(path, 'w');
      try {
        writeSync(fd, header);
      } finally {
        closeSync(fd);
      }
      // Append mode: the recorder worker appends event chunks to the same file; every record is
      // one write, so records never interleave.
      this.fd = openSync(path, 'a');
      this.bytes = HEADER_BYTES;
    } catch (error) {
      this.fail(error);
    }
  }

  get size(): number {
    return this.bytes;
  }

  /** False once the size limit is reached or the writer is off: callers count what they drop. */
  get hasRoom(): boolean {
    return this.fd !== null && this.bytes < this.maxBytes;
  }

  /** A JSON record, written even past the size limit (they are small and say how the run went). */
  writeJson(kind: number, value: unknown): boolean {
    if (this.fd === null) return false;
    let text: string;
    try {
      text = stringify(value);
    } catch {
      // A value JSON cannot encode (a BigInt, a throwing toJSON) is dropped, not a write failure.
      return false;
    }
    return this.writeRecord(kind, [Buffer.from(text, 'utf8')], true);
  }

  /** One record of the process's own stream, made of several byte ranges. */
  writeRecord(kind: number, parts: Uint8Array[], force = false): boolean {
    if (this.fd === null || (!force && !this.hasRoom)) return false;
    if (!this.append(kind, Stream.Process, this.seq, parts)) return false;
    this.seq++;
    return true;
  }

  /**
   * An event chunk written from this thread (when the recorder worker cannot): `seq` is the
   * chunk's number in the order the recorder filled chunks, whichever thread writes it.
   */
  writeEventChunk(seq: number, base: number, events: Int32Array, count: number, dropped: number): boolean {
    if (!this.hasRoom) return false;
    writeEventChunkHead(this.eventHead, base, count, dropped);
    const bytes = new Uint8Array(events.buffer, events.byteOffset, count * EVENT_BYTES);
    return this.append(RecordKind.Events, Stream.Events, seq, [this.eventHead, bytes]);
  }

  close(): void {
    const fd = this.fd;
    this.fd = null;
    if (fd === null) return;
    try {
      closeSync(fd);
    } catch {
      // Nothing left to lose: every record was written synchronously.
    }
  }

  /** Under `run --keep`: follows the path to the file the CLI put there (at most every few ms). */
  private followRotation(): void {
    const now = primordials.now();
    if (now - this.checkedAt < REPLACED_CHECK_EVERY_MS) return;
    this.checkedAt = now;
    if (!fileReplaced(this.path, this.fd!)) return;
    let fd: number;
    try {
      fd = openSync(this.path, 'a');
    } catch {
      // Keep writing to the file open now: it stays in the window as the previous segment.
      return;
    }
    const old = this.fd!;
    this.fd = fd;
    try {
      this.bytes = fstatSync(fd).size;
      closeSync(old);
    } catch {
      // The old file is the CLI's segment now; nothing of ours is lost.
    }
  }

  /** One writev for the whole record, so that appends from two threads never interleave. */
  private append(kind: number, stream: number, seq: number, parts: Uint8Array[]): boolean {
    try {
      if (this.reopen) this.followRotation();
      let length = 0;
      for (const p of parts) length += p.byteLength;
      const head = Buffer.alloc(RECORD_HEADER_BYTES);
      writeRecordHeader(head, 0, { kind, stream, length, seq, payloadCrc: payloadChecksum(parts) });
      const all = [head, ...parts];
      const total = RECORD_HEADER_BYTES + length;
      let done = writevSync(this.fd!, all);
      if (done < total) {
        // Short write (rare: a signal, or the disk filling up): finish the rest in order. If that
        // fails, the reader cuts the half record off.
        const rest = Buffer.concat(all).subarray(done);
        let offset = 0;
        while (offset < rest.byteLength) offset += writeSync(this.fd!, rest, offset, rest.byteLength - offset);
        done = total;
      }
      this.bytes += done;
      return true;
    } catch (error) {
      this.fail(error);
      return false;
    }
  }

  private fail(error: unknown): void {
    if (this.failed !== null) return;
    this.failed = failureReason(error);
    this.close();
    const onFailure = this.onFailure;
    if (onFailure === null) return;
    try {
      onFailure(this.failed);
    } catch {
      // The preload's handler must not turn our failure into the program's.
    }
  }
}
