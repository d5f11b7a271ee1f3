// The recorder's worker thread: ticks the recorder's clock (clock.ts) and appends ready event
// chunks to the trace file (event-pipe.ts), so the profiled thread never waits on a file write.
//
// A write that fails (full disk, I/O error, file-size limit) must not end the process nor stop
// the clock that every event's time comes from: the worker stops writing for good, stores the
// errno in shared memory (Ctrl.writeFailed, read by the main thread through the pipe's
// writeFailure()), and goes on ticking and freeing chunks, counting their events as dropped.
import { Buffer } from 'node:buffer';
import { closeSync, openSync, writevSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { workerData } from 'node:worker_threads';
import { tick } from './clock.js';
import { Ctrl, F64, pipeViews } from './event-pipe-layout.js';
import {
  EVENT_BYTES,
  EVENT_CHUNK_HEAD_BYTES,
  RECORD_HEADER_BYTES,
  RecordKind,
  Stream,
  payloadChecksum,
  writeEventChunkHead,
  writeRecordHeader,
} from '../contract/index.js';

const { buffer, clockBuffer, originNs, tickMs, tracePath, maxBytes, startBytes } = workerData as {
  buffer: SharedArrayBuffer;
  clockBuffer: SharedArrayBuffer;
  originNs: bigint;
  tickMs: number;
  tracePath: string;
  maxBytes: number;
  startBytes: number;
};
const { ctrl, f64, counts, seqs, chunks } = pipeViews(buffer);
const clock = { words: new Int32Array(clockBuffer), originNs };

function errnoOf(error: unknown): number {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const n = code ? (osConstants.errno as Record<string, number>)[code] : undefined;
  return n !== undefined && n > 0 ? n : -1;
}

/** Open, or null after a failure that has been stored for the main thread. */
let fd: number | null = null;
function stopWriting(error: unknown): void {
  Atomics.store(ctrl, Ctrl.writeFailed, errnoOf(error));
  if (fd === null) return;
  try {
    closeSync(fd);
  } catch {
    // Already unusable.
  }
  fd = null;
}

try {
  // O_APPEND: the main thread appends its own records to the same file; each record is one write.
  fd = openSync(tracePath, 'a');
} catch (error) {
  stopWriting(error);
}
let written = startBytes;
let next = 0;
const header = Buffer.alloc(RECORD_HEADER_BYTES);
const head = Buffer.alloc(EVENT_CHUNK_HEAD_BYTES);

function writeChunk(slot: number, count: number): boolean {
  if (fd === null || written >= maxBytes) return false;
  const chunk = chunks[slot]!;
  const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, count * EVENT_BYTES);
  writeEventChunkHead(head, f64[F64.base + slot]!, count, Atomics.load(ctrl, Ctrl.dropped));
  const length = EVENT_CHUNK_HEAD_BYTES + count * EVENT_BYTES;
  writeRecordHeader(header, 0, { kind: RecordKind.Events, stream: Stream.Events, length, seq: seqs[slot]!, payloadCrc: payloadChecksum([head, bytes]) });
  try {
    // One writev: with O_APPEND the record lands whole, never interleaved with the main thread's.
    const done = writevSync(fd, [header, head, bytes]);
    written += done;
    // A short write means the disk is full or the file hit its size limit: whatever follows
    // would be lost anyway, and the reader cuts the half record off.
    if (done < RECORD_HEADER_BYTES + length) stopWriting(Object.assign(new Error('short write'), { code: 'ENOSPC' }));
    return true;
  } catch (error) {
    stopWriting(error);
    return false;
  }
}

function drainReady(): void {
  for (;;) {
    const slot = Ctrl.state + next;
    if (Atomics.load(ctrl, slot) !== 1) return;
    const count = counts[next]!;
    if (!writeChunk(next, count)) Atomics.add(ctrl, Ctrl.dropped, count);
    Atomics.store(ctrl, slot, 0);
    Atomics.notify(ctrl, slot);
    next = (next + 1) % chunks.length;
  }
}

Atomics.store(ctrl, Ctrl.alive, 1);
Atomics.notify(ctrl, Ctrl.alive);
for (;;) {
  tick(clock);
  const wake = Atomics.load(ctrl, Ctrl.wake);
  drainReady();
  if (Atomics.load(ctrl, Ctrl.stop) === 1) break;
  Atomics.wait(ctrl, Ctrl.wake, wake, tickMs);
}
Atomics.store(ctrl, Ctrl.alive, 0);
Atomics.notify(ctrl, Ctrl.alive);
if (fd !== null) {
  try {
    closeSync(fd);
  } catch {
    // Every chunk was written synchronously: nothing is lost.
  }
}
