// Appends records to the trace file with synchronous writes, so whatever was flushed survives
// any way the process can end, including SIGKILL.
import { closeSync, openSync, writeSync } from 'node:fs';
import { HEADER_BYTES, RECORD_HEADER_BYTES, TRACE_MAGIC, TRACE_VERSION } from './protocol.js';

export class TraceWriter {
  private fd: number | null;
  private bytes = 0;

  constructor(path: string, private readonly maxBytes: number) {
    this.fd = openSync(path, 'w');
    const header = Buffer.alloc(HEADER_BYTES);
    header.write(TRACE_MAGIC, 0, 'latin1');
    header.writeUInt32LE(TRACE_VERSION, 8);
    this.write(header);
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
    this.write(head);
    for (const p of parts) this.write(p);
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

  private write(bytes: Uint8Array): void {
    if (this.fd === null) return;
    let offset = 0;
    while (offset < bytes.byteLength) {
      offset += writeSync(this.fd, bytes, offset, bytes.byteLength - offset);
    }
    this.bytes += bytes.byteLength;
  }
}
