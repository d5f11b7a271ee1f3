// One ArrayBuffer for all the columns of a view model. Node counts typed-array memory as external
// and runs a full garbage collection each time that grows by a few tens of MB; next to a large
// TraceModel (a million task objects) every such collection costs about a second. Allocating the
// columns from a single buffer sized up front costs one.

const pad8 = (n: number) => (n + 7) & ~7;

export type ArenaRequest = [bytesPerElement: 1 | 2 | 4 | 8, length: number];

export class Arena {
  private readonly buffer: ArrayBuffer;
  private offset = 0;

  static bytesFor(requests: readonly ArenaRequest[]): number {
    let total = 0;
    for (const [bytes, length] of requests) total += pad8(bytes * Math.max(0, length));
    return total;
  }

  constructor(bytes: number) {
    this.buffer = new ArrayBuffer(Math.max(8, bytes));
  }

  private take(bytes: number, length: number): number {
    const at = this.offset;
    this.offset += pad8(bytes * length);
    if (this.offset > this.buffer.byteLength) throw new Error(`arena overflow (${this.offset} > ${this.buffer.byteLength})`);
    return at;
  }

  f64(length: number): Float64Array {
    return new Float64Array(this.buffer, this.take(8, length), length);
  }
  f32(length: number): Float32Array {
    return new Float32Array(this.buffer, this.take(4, length), length);
  }
  i32(length: number): Int32Array {
    return new Int32Array(this.buffer, this.take(4, length), length);
  }
  u16(length: number): Uint16Array {
    return new Uint16Array(this.buffer, this.take(2, length), length);
  }
  u8(length: number): Uint8Array {
    return new Uint8Array(this.buffer, this.take(1, length), length);
  }
}
