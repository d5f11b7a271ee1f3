// The payload of an Events record: f64 base (ms, performance.now clock), u32 event count,
// u32 events dropped so far, then count events of 4 x i32 (16 bytes each).

export const EVENT_CHUNK_HEAD_BYTES = 16;
export const EVENT_BYTES = 16;

export function writeEventChunkHead(into: Buffer, base: number, count: number, dropped: number): void {
  into.writeDoubleLE(base, 0);
  into.writeUInt32LE(count, 8);
  into.writeUInt32LE(dropped >>> 0, 12);
}

export interface EventChunkHead {
  base: number;
  count: number;
  dropped: number;
}

export function readEventChunkHead(bytes: Buffer): EventChunkHead {
  return { base: bytes.readDoubleLE(0), count: bytes.readUInt32LE(8), dropped: bytes.readUInt32LE(12) };
}
