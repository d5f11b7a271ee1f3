// The recorder's worker thread: ticks the recorder's clock (clock.ts), appends event chunks to
// the trace file (event-pipe.ts) so the profiled thread never waits on a file write, and samples
// how long the profiled thread waited for a CPU (sched-sampler.ts).
//
// It also writes the chunk the profiled thread is still filling, every few milliseconds, up to
// two events before the last (the last may be half written; the last one or two may still be
// taken back by runtime.ts: folded into a TaskSync by x, claimed by e under --hooks): the profiler catches no signal, so a script stopped by Ctrl-C or SIGTERM keeps
// everything but its last milliseconds. Each such part is a record of its own, numbered by its
// chunk and its place in it (partSeq).
//
// A write that fails (full disk, I/O error, file-size limit) must not end the process nor stop
// the clock that every event's time comes from: the worker stops writing for good, stores the
// errno in shared memory (Ctrl.writeFailed, read by the main thread through the pipe's
// writeFailure()), and goes on ticking and freeing chunks, counting their events as dropped.
import { Buffer } from 'node:buffer';
import { closeSync, fstatSync, openSync, writevSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { ClockWord, advanceClockWord, clockWord, msOfWord } from './clock.js';
import { Ctrl, F64, partSeq, pipeViews } from './event-pipe-layout.js';
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
import { fileReplaced } from './file-replaced.js';
import { SharedWords } from './runtime.js';
import { SchedSampler } from './sched-sampler.js';

const { buffer, clockBuffer, originNs, originMs, tickMs, standIn, tracePath, maxBytes, startBytes, mainTid, followRotation } = workerData as {
  buffer: SharedArrayBuffer;
  clockBuffer: SharedArrayBuffer;
  originNs: bigint;
  originMs: number;
  tickMs: number;
  /** Another thread's recorder ticks this clock: this one ticks it only while that one does not. */
  standIn: boolean;
  tracePath: string;
  maxBytes: number;
  startBytes: number;
  mainTid: number;
  /** `run --keep`: the CLI may put a new file at the trace's path (file-replaced.ts); looked at as often as partial chunks are written. */
  followRotation: boolean;
};
const { ctrl, f64, counts, seqs, written: writtenOfSlot, chunks } = pipeViews(buffer);
const clock = { words: new Int32Array(clockBuffer, 0, 3), originNs, originMs };
const recorder = new Int32Array(clockBuffer);
/** ms between two writes of the chunk being filled, two CPU-wait samples, two writes of them. */
const PARTIAL_EVERY_MS = 5;
const SCHED_EVERY_MS = 2;
const SCHED_WRITE_EVERY_MS = 100;
/**
 * The ticker slows to SLOW_TICK_MS once no recording thread has written an event for QUIET_MS:
 * a word nobody reads need not be fresh, and a pool of CPU-bound workers writes none for tens of
 * ms at a time, while 5,000 wake-ups a second took CPU from its work (2% of it on 2 cores). An
 * event written then is stamped up to SLOW_TICK_MS early, unless its thread read the time itself
 * (callbacks, message deliveries: runtime.ts ticks there, after the loop woke up).
 */
const QUIET_MS = 1;
const SLOW_TICK_MS = 1;
/**
 * A stand-in sleeps this long while the clock's owner ticks it and its thread writes no events;
 * every STAND_IN_TICK_MS otherwise (to take its chunks, and tick if the owner does not).
 */
const STAND_IN_IDLE_MS = 10;
const STAND_IN_TICK_MS = 1;
/** The owner counts as ticking while the word is less than this far behind (its slow tick and some). */
const OWNER_TICKING_US = 1500;
/**
 * Worker threads' clocks this recorder ticks with its own (shared-clock.ts). A worker that
 * ends without retiring its clock (terminated mid-run) leaves it here: the oldest go beyond
 * this many, and such a worker, if still running, ticks its clock as a stand-in.
 */
const MAX_ADOPTED_CLOCKS = 256;
const adopted: Int32Array[] = [];
let adoptedTaken = 0;

function adoptPostedClocks(): void {
  const posted = Atomics.load(ctrl, Ctrl.adoptedClocks);
  while (adoptedTaken < posted && parentPort !== null) {
    const message = receiveMessageOnPort(parentPort);
    if (message === undefined) return;
    adoptedTaken++;
    // The whole of the worker's recorder memory: its event count shows whether it records.
    if (message.message instanceof SharedArrayBuffer) adopted.push(new Int32Array(message.message));
    if (adopted.length > MAX_ADOPTED_CLOCKS) adopted.shift();
  }
}

/** A number that changes whenever this thread or an adopted one writes an event. */
function eventActivity(): number {
  let activity = Atomics.load(recorder, SharedWords.Count);
  for (const words of adopted) activity = (activity * 31 + Atomics.load(words, SharedWords.Count)) | 0;
  return activity;
}

/** This thread's clock and every adopted one to `word` (now): they share the origin, so one word. */
function tickClocks(word: number): void {
  advanceClockWord(clock.words, word);
  for (let i = adopted.length - 1; i >= 0; i--) {
    const words = adopted[i]!;
    if (Atomics.load(words, ClockWord.Retired) === 1) adopted.splice(i, 1);
    else advanceClockWord(words, word);
  }
}

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
let schedSeq = 0;
const header = Buffer.alloc(RECORD_HEADER_BYTES);
const head = Buffer.alloc(EVENT_CHUNK_HEAD_BYTES);
const sched = new SchedSampler(mainTid);

/** Reopens the trace's path when the CLI rotated it; the size limit then counts the new file. */
function reopenIfReplaced(): void {
  if (fd === null || !fileReplaced(tracePath, fd)) return;
  try {
    const next = openSync(tracePath, 'a');
    closeSync(fd);
    fd = next;
    written = fstatSync(next).size;
  } catch {
    // Keep writing to the file open now: it stays in the window as the previous segment.
  }
}

/** One record, one writev: with O_APPEND it lands whole, never interleaved with another writer's. */
function writeRecord(parts: Buffer[], length: number): boolean {
  if (fd === null) return false;
  try {
    const done = writevSync(fd, parts);
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

/** Events [from, to) of a chunk, as the record numbered `seq`. */
function writeEvents(seq: number, base: number, chunk: Int32Array, from: number, to: number): boolean {
  const count = to - from;
  if (count <= 0) return true;
  if (fd === null || written >= maxBytes) return false;
  const bytes = Buffer.from(chunk.buffer, chunk.byteOffset + from * EVENT_BYTES, count * EVENT_BYTES);
  writeEventChunkHead(head, base, count, Atomics.load(ctrl, Ctrl.dropped));
  const length = EVENT_CHUNK_HEAD_BYTES + count * EVENT_BYTES;
  writeRecordHeader(header, 0, { kind: RecordKind.Events, stream: Stream.Events, length, seq, payloadCrc: payloadChecksum([head, bytes]) });
  return writeRecord([header, head, bytes], length);
}

function drainReady(): void {
  for (;;) {
    const slot = Ctrl.state + next;
    if (Atomics.load(ctrl, slot) !== 1) return;
    const from = writtenOfSlot[next * 2]!;
    const count = counts[next]!;
    if (!writeEvents(partSeq(seqs[next]!, writtenOfSlot[next * 2 + 1]!, true), f64[F64.base + next]!, chunks[next]!, from, count)) {
      Atomics.add(ctrl, Ctrl.dropped, count - from);
    }
    writtenOfSlot[next * 2] = 0;
    writtenOfSlot[next * 2 + 1] = 0;
    Atomics.store(ctrl, slot, 0);
    Atomics.notify(ctrl, slot);
    next = (next + 1) % chunks.length;
  }
}

/** The chunk being filled, but for its last two events, if it stayed the same chunk meanwhile. */
function drainPartial(): void {
  const slot = Atomics.load(ctrl, Ctrl.current);
  if (slot < 0 || Atomics.load(ctrl, Ctrl.state + slot) !== 0) return;
  const count = Atomics.load(recorder, SharedWords.Count) - 2;
  const from = writtenOfSlot[slot * 2]!;
  if (count <= from || fd === null || written >= maxBytes) return;
  const seq = partSeq(seqs[slot]!, writtenOfSlot[slot * 2 + 1]!, false);
  const base = msOfWord(clock, Atomics.load(recorder, SharedWords.ChunkStart));
  const copy = chunks[slot]!.slice(from * 4, count * 4);
  // Handed over meanwhile: the ready path writes it whole from `from` on.
  if (Atomics.load(ctrl, Ctrl.current) !== slot || Atomics.load(ctrl, Ctrl.state + slot) !== 0) return;
  if (writeEvents(seq, base, copy, 0, count - from)) {
    writtenOfSlot[slot * 2] = count;
    writtenOfSlot[slot * 2 + 1] = writtenOfSlot[slot * 2 + 1]! + 1;
  }
}

function writeSched(): void {
  const samples = sched.take();
  if (samples === null || fd === null) return;
  const payload = Buffer.from(JSON.stringify(samples), 'utf8');
  writeRecordHeader(header, 0, { kind: RecordKind.Sched, stream: Stream.Recorder, length: payload.length, seq: schedSeq++, payloadCrc: payloadChecksum([payload]) });
  writeRecord([header, payload], payload.length);
}

Atomics.store(ctrl, Ctrl.alive, 1);
Atomics.notify(ctrl, Ctrl.alive);
const startedMs = clockWord(originNs) / 1000;
let nextPartialMs = startedMs + PARTIAL_EVERY_MS;
let nextSchedMs = startedMs + SCHED_EVERY_MS;
let nextSchedWriteMs = startedMs + SCHED_WRITE_EVERY_MS;
let lastActivity = eventActivity();
let lastActiveMs = startedMs;
for (;;) {
  if (Atomics.load(ctrl, Ctrl.adoptedClocks) !== adoptedTaken) adoptPostedClocks();
  // One reading of the time per wake: µs since the origin, and the same in ms.
  const nowUs = clockWord(originNs);
  const ownerTicking = standIn && (((nowUs | 0) - Atomics.load(clock.words, 0)) | 0) < OWNER_TICKING_US;
  if (!ownerTicking) tickClocks(nowUs | 0);
  const wake = Atomics.load(ctrl, Ctrl.wake);
  drainReady();
  const now = nowUs / 1000;
  if (now >= nextSchedMs) {
    // Read again: writing the ready chunks above may have taken a while.
    sched.sample(originMs + clockWord(originNs) / 1000);
    nextSchedMs = now + SCHED_EVERY_MS;
  }
  if (now >= nextPartialMs) {
    if (followRotation) reopenIfReplaced();
    drainPartial();
    nextPartialMs = now + PARTIAL_EVERY_MS;
  }
  if (now >= nextSchedWriteMs) {
    writeSched();
    nextSchedWriteMs = now + SCHED_WRITE_EVERY_MS;
  }
  if (Atomics.load(ctrl, Ctrl.stop) === 1) break;
  const activity = eventActivity();
  if (activity !== lastActivity) {
    lastActivity = activity;
    lastActiveMs = now;
  }
  const quiet = now - lastActiveMs >= QUIET_MS;
  const waitMs = standIn ? (ownerTicking && quiet ? STAND_IN_IDLE_MS : STAND_IN_TICK_MS) : quiet ? Math.max(tickMs, SLOW_TICK_MS) : tickMs;
  Atomics.wait(ctrl, Ctrl.wake, wake, waitMs);
}
drainReady();
writeSched();
sched.close();
Atomics.store(ctrl, Ctrl.alive, 0);
Atomics.notify(ctrl, Ctrl.alive);
if (fd !== null) {
  try {
    closeSync(fd);
  } catch {
    // Every chunk was written synchronously: nothing is lost.
  }
}
