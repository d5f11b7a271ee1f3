// The recorder's worker thread: ticks the recorder's clock (clock.ts), appends event chunks to
// the trace file (event-pipe.ts) so the profiled thread never waits on a file write, and samples
// how long the profiled thread waited for a CPU (sched-sampler.ts).
//
// It also writes the chunk the profiled thread is still filling, every few milliseconds, up to
// the event before the last (the last one may be half written, or folded into a TaskSync by x
// in runtime.ts): the profiler catches no signal, so a script stopped by Ctrl-C or SIGTERM keeps
// everything but its last milliseconds.
import { closeSync, openSync, writevSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import { msOfWord, tick } from './clock.js';
import { Ctrl, F64, pipeViews } from './event-pipe-layout.js';
import { RECORD_HEADER_BYTES, RecordKind } from './protocol.js';
import { SharedWords } from './runtime.js';
import { SchedSampler } from './sched-sampler.js';

const { buffer, clockBuffer, originNs, originMs, tickMs, tracePath, maxBytes, startBytes, mainTid } = workerData as {
  buffer: SharedArrayBuffer;
  clockBuffer: SharedArrayBuffer;
  originNs: bigint;
  originMs: number;
  tickMs: number;
  tracePath: string;
  maxBytes: number;
  startBytes: number;
  mainTid: number;
};
const { ctrl, f64, counts, chunks } = pipeViews(buffer);
const clock = { words: new Int32Array(clockBuffer, 0, 3), originNs, originMs };
const recorder = new Int32Array(clockBuffer);
/** Ticks between two partial writes of the chunk being filled, and between two CPU-wait samples. */
const PARTIAL_EVERY_TICKS = 25;
const SCHED_EVERY_TICKS = 10;
const SCHED_WRITE_EVERY_TICKS = 500;

let fd: number | null = null;
try {
  // O_APPEND: the main thread appends its own records to the same file; each record is one write.
  fd = openSync(tracePath, 'a');
} catch {
  Atomics.store(ctrl, Ctrl.failed, 1);
}
let written = startBytes;
let next = 0;
const header = Buffer.alloc(RECORD_HEADER_BYTES + 16);
/** Events of each slot already written while the main thread was still filling it. */
const writtenOfSlot = new Int32Array(chunks.length);
const sched = new SchedSampler(mainTid);

/** One record, one write; a failure (full disk...) stops the writing, never the program. */
function write(parts: Uint8Array[], bytes: number): boolean {
  if (fd === null) return false;
  try {
    writevSync(fd, parts);
    written += bytes;
    return true;
  } catch {
    Atomics.store(ctrl, Ctrl.failed, 1);
    try {
      closeSync(fd);
    } catch {
      // Already unusable.
    }
    fd = null;
    return false;
  }
}

function writeEvents(base: number, chunk: Int32Array, from: number, to: number): void {
  const count = to - from;
  if (count <= 0) return;
  if (written >= maxBytes || fd === null) {
    Atomics.add(ctrl, Ctrl.dropped, count);
    return;
  }
  const bytes = Buffer.from(chunk.buffer, chunk.byteOffset + from * 16, count * 16);
  header.writeUInt32LE(RecordKind.Events, 0);
  header.writeUInt32LE(16 + count * 16, 4);
  header.writeDoubleLE(base, 8);
  header.writeUInt32LE(count, 16);
  header.writeUInt32LE(Atomics.load(ctrl, Ctrl.dropped), 20);
  if (!write([header, bytes], header.length + count * 16)) Atomics.add(ctrl, Ctrl.dropped, count);
}

function drainReady(): void {
  for (;;) {
    const slot = Ctrl.state + next;
    if (Atomics.load(ctrl, slot) !== 1) return;
    writeEvents(f64[F64.base + next]!, chunks[next]!, writtenOfSlot[next]!, counts[next]!);
    writtenOfSlot[next] = 0;
    Atomics.store(ctrl, slot, 0);
    Atomics.notify(ctrl, slot);
    next = (next + 1) % chunks.length;
  }
}

/** The chunk being filled, up to its last event but one, if it stayed the same chunk meanwhile. */
function drainPartial(): void {
  const slot = Atomics.load(ctrl, Ctrl.current);
  if (slot < 0 || Atomics.load(ctrl, Ctrl.state + slot) !== 0) return;
  const count = Atomics.load(recorder, SharedWords.Count) - 1;
  const from = writtenOfSlot[slot]!;
  if (count <= from) return;
  const base = msOfWord(clock, Atomics.load(recorder, SharedWords.ChunkStart));
  const copy = chunks[slot]!.slice(from * 4, count * 4);
  // Handed over meanwhile: the ready path writes it whole from `from` on.
  if (Atomics.load(ctrl, Ctrl.current) !== slot || Atomics.load(ctrl, Ctrl.state + slot) !== 0) return;
  writeEvents(base, copy, 0, count - from);
  writtenOfSlot[slot] = count;
}

function writeSched(): void {
  const samples = sched.take();
  if (samples === null || fd === null) return;
  const payload = Buffer.from(JSON.stringify(samples), 'utf8');
  const head = Buffer.alloc(RECORD_HEADER_BYTES);
  head.writeUInt32LE(RecordKind.Sched, 0);
  head.writeUInt32LE(payload.length, 4);
  write([head, payload], head.length + payload.length);
}

Atomics.store(ctrl, Ctrl.alive, 1);
Atomics.notify(ctrl, Ctrl.alive);
for (let ticks = 1; ; ticks++) {
  tick(clock);
  const wake = Atomics.load(ctrl, Ctrl.wake);
  drainReady();
  if (ticks % SCHED_EVERY_TICKS === 0) sched.sample(originMs + Number(process.hrtime.bigint() - originNs) / 1e6);
  if (ticks % PARTIAL_EVERY_TICKS === 0) drainPartial();
  if (ticks % SCHED_WRITE_EVERY_TICKS === 0) writeSched();
  if (Atomics.load(ctrl, Ctrl.stop) === 1) break;
  Atomics.wait(ctrl, Ctrl.wake, wake, tickMs);
}
drainReady();
writeSched();
sched.close();
Atomics.store(ctrl, Ctrl.alive, 0);
Atomics.notify(ctrl, Ctrl.alive);
if (fd !== null) closeSync(fd);
