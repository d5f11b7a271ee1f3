// Random access to a trace's bytes without holding the file in memory: the reader takes one
// record at a time, so garbage (a disk's worth of zeros after a trace) costs reading, not RAM.
import { Buffer } from 'node:buffer';
import { readSync } from 'node:fs';

export interface ByteSource {
  readonly size: number;
  /** `length` bytes from `offset` (fewer at the end of the source). */
  read(offset: number, length: number): Buffer;
  /** Fills `into` from `offset`; returns how many bytes it got. */
  readInto(offset: number, into: Uint8Array): number;
}

export class FileSource implements ByteSource {
  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}

  read(offset: number, length: number): Buffer {
    const n = Math.max(0, Math.min(length, this.size - offset));
    const out = Buffer.allocUnsafe(n);
    const got = this.readInto(offset, out);
    return got === n ? out : out.subarray(0, got);
  }

  readInto(offset: number, into: Uint8Array): number {
    let done = 0;
    while (done < into.byteLength) {
      const n = readSync(this.fd, into, done, into.byteLength - done, offset + done);
      if (n === 0) break;
      done += n;
    }
    return done;
  }
}

export class BufferSource implements ByteSource {
  readonly size: number;

  constructor(private readonly bytes: Buffer) {
    this.size = bytes.length;
  }

  read(offset: number, length: number): Buffer {
    return this.bytes.subarray(offset, Math.min(this.size, offset + length));
  }

  readInto(offset: number, into: Uint8Array): number {
    const part = this.read(offset, into.byteLength);
    into.set(part);
    return part.length;
  }
}
