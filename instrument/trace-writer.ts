// Appends records to the trace file with synchronous writes, so whatever was flushed survives
// any way the process can end, including SIGKILL.
import { closeSync, openSync, writeSync, writevSync } from 'node:fs';
import { HEADER_BYTES, RECORD_HEADER_BYTES, TRACE_MAGIC, TRACE_VERSION } from '../contract/index.js';

export class TraceWriter {
  private fd: number | null;
  private bytes = 0;

  constructor(path: string, private readonly maxBytes: number) {
    const header = Buffer.alloc(HEADER_BYTES);
    header.write(TRACE_MAGIC, 0, 'latin1');
    header.writeUInt32LE(TRACE_VERSION, 8);
    const fd = openSync(path, 'w');
    writeSync(fd, header);
    closeSync(fd);
    // Append mode: the recorder worker appends event chunks to the same file; every record is
    // one write, so records never interleave.
    this.fd = openSync(path, 'a');
    this.bytes = HEADER_BYTES;
  }

  get size(): number {
    return this.bytes;
  }

  /** False once the size limit is reached: callers count what they drop. */
  get hasRoom(): boolean {
    return this.fd !== null && this.bytes < this.maxBytes;
  }

  writeJson(kind: number, value: unknown): void {
    this.writeRecord(kind, [Buffer.from(JSON.stringify(value), 'utf8')], true);
  }

  /** Writes one record made of several byte ranges; false if it was dropped for lack of room. */
  writeRecord(kind: number, parts: Uint8Array[], force = false): boolean {
    if (this.fd === null || (!force && !this.hasRoom)) return false;
    let length = 0;
    for (const p of parts) length += p.byteLength;
    const head = Buffer.alloc(RECORD_HEADER_BYTES);
    head.writeUInt32LE(kind, 0);
    head.writeUInt32LE(length, 4);
    this.writeAll([head, ...parts], RECORD_HEADER_BYTES + length);
    return true;
  }

  close(): void {
    if (this.fd === null) return;
    try {
      closeSync(this.fd);
    } finally {
      this.fd = null;
    }
  }

  /** One writev for the whole record, so that appends from two threads never interleave. */
  private writeAll(parts: Uint8Array[], total: number): void {
    if (this.fd === null) return;
    let done = writevSync(this.fd, parts);
    if (done < total) {
      // Short write (rare, e.g. a signal): finish the rest in order.
      const rest = Buffer.concat(parts).subarray(done);
      this.write(rest);
      done = total;
    }
    this.bytes += done;
  }

  private write(bytes: Uint8Array): void {
    if (this.fd === null) return;
    let offset = 0;
    while (offset < bytes.byteLength) {
      offset += writeSync(this.fd, bytes, offset, bytes.byteLength - offset);
    }
    this.bytes += bytes.byteLength;
  }
}
