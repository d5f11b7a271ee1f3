// Shared-memory layout between the main thread and the recorder worker (event-pipe.ts,
// recorder-worker.ts). One SharedArrayBuffer: a control block, then CHUNKS event chunks.

export const CHUNKS = 32;
export const EVENTS_PER_CHUNK = 16384;
export const CHUNK_BYTES = EVENTS_PER_CHUNK * 16;

/** Int32 indices in the control block. */
export const Ctrl = {
  /** Bumped by the main thread whenever a chunk becomes ready: wakes the worker. */
  wake: 0,
  /** 1: the worker must stop after the chunk it is writing. */
  stop: 1,
  /** Events the worker dropped because the trace reached its size limit. */
  dropped: 2,
  /** 1 while the worker is alive and draining. */
  alive: 3,
  /** 0 while the worker's writes succeed; the errno number (or -1) of the write that failed. */
  writeFailed: 4,
  /** The slot the main thread is filling; -1 until recording starts (after the warm-up). */
  current: 5,
  /**
   * Clocks of worker threads handed to the recorder to tick with its own (shared-clock.ts): the
   * number posted so far; the recorder takes messages off its port until it has as many.
   */
  adoptedClocks: 6,
  /** Per-chunk state from here on: 0 free (main thread fills it), 1 ready (worker writes it). */
  state: 8,
} as const;

/** Float64 indices in the control block (after the Int32 part). */
export const CTRL_INT32S = Ctrl.state + CHUNKS;
export const F64 = {
  /** Per-chunk base time from here on. */
  base: 0,
} as const;
export const CTRL_BYTES = CTRL_INT32S * 4 + (F64.base + CHUNKS) * 8;
/** Per-chunk event count, Int32, after the floats. */
export const COUNTS_OFFSET = CTRL_BYTES;
export const COUNTS_BYTES = CHUNKS * 4;
/** Per-chunk sequence number (the chunk's place in the trace's Events stream), Int32, after the counts. */
export const SEQS_OFFSET = COUNTS_OFFSET + COUNTS_BYTES;
export const SEQS_BYTES = CHUNKS * 4;
/**
 * Per-chunk: events already written while the chunk was being filled, and how many records
 * (parts) that took; whichever thread writes the rest starts there (Int32 pairs).
 */
export const WRITTEN_OFFSET = SEQS_OFFSET + SEQS_BYTES;
export const WRITTEN_BYTES = CHUNKS * 8;
export const DATA_OFFSET = Math.ceil((WRITTEN_OFFSET + WRITTEN_BYTES) / 16) * 16;
export const PIPE_BYTES = DATA_OFFSET + CHUNKS * CHUNK_BYTES;

export interface PipeViews {
  ctrl: Int32Array;
  f64: Float64Array;
  counts: Int32Array;
  seqs: Int32Array;
  /** [events written, parts written] per chunk. */
  written: Int32Array;
  chunks: Int32Array[];
}

export function pipeViews(buffer: SharedArrayBuffer): PipeViews {
  return {
    ctrl: new Int32Array(buffer, 0, CTRL_INT32S),
    f64: new Float64Array(buffer, CTRL_INT32S * 4, F64.base + CHUNKS),
    counts: new Int32Array(buffer, COUNTS_OFFSET, CHUNKS),
    seqs: new Int32Array(buffer, SEQS_OFFSET, CHUNKS),
    written: new Int32Array(buffer, WRITTEN_OFFSET, CHUNKS * 2),
    chunks: Array.from({ length: CHUNKS }, (_, i) => new Int32Array(buffer, DATA_OFFSET + i * CHUNK_BYTES, EVENTS_PER_CHUNK * 4)),
  };
}

/**
 * An Events record's sequence number: the chunk's number in the high 16 bits, then a bit set on
 * the chunk's last part, then the part's number (a chunk is written in several parts while it
 * fills up: recorder-worker.ts). A reader can then tell a lost last part from a chunk that was
 * still filling when the process died.
 */
export function partSeq(chunkSeq: number, part: number, last: boolean): number {
  return ((chunkSeq << 16) | (last ? 0x8000 : 0) | part) >>> 0;
}
