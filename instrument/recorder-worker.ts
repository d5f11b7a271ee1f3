// The recorder's worker thread: ticks the recorder's clock (clock.ts) and appends ready event
// chunks to the trace file (event-pipe.ts), so the profiled thread never waits on a file write.
import { closeSync, openSync, writevSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import { tick } from './clock.js';
import { Ctrl, F64, pipeViews } from './event-pipe-layout.js';
import { RECORD_HEADER_BYTES, RecordKind } from '../contract/index.js';

const { buffer, clockBuffer, originNs, tickMs, tracePath, maxBytes, startBytes } = workerData as {
  buffer: SharedArrayBuffer;
  clockBuffer: SharedArrayBuffer;
  originNs: bigint;
  tickMs: number;
  tracePath: string;
  maxBytes: number;
  startBytes: number;
};
const { ctrl, f64, counts, chunks } = pipeViews(buffer);
const clock = { words: new Int32Array(clockBuffer), originNs };
// O_APPEND: the main thread appends its own records to the same file; each record is one write.
const fd = openSync(tracePath, 'a');
let written = startBytes;
let next = 0;
const header = Buffer.alloc(RECORD_HEADER_BYTES + 16);

function drainReady(): void {
  for (;;) {
    const slot = Ctrl.state + next;
    if (Atomics.load(ctrl, slot) !== 1) return;
    const count = counts[next]!;
    if (written < maxBytes) {
      const chunk = chunks[next]!;
      const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, count * 16);
      header.writeUInt32LE(RecordKind.Events, 0);
      header.writeUInt32LE(16 + count * 16, 4);
      header.writeDoubleLE(f64[F64.base + next]!, 8);
      header.writeUInt32LE(count, 16);
      header.writeUInt32LE(Atomics.load(ctrl, Ctrl.dropped), 20);
      // One writev: with O_APPEND the record lands whole, never interleaved with the main thread's.
      writevSync(fd, [header, bytes]);
      written += header.length + count * 16;
    } else {
      Atomics.add(ctrl, Ctrl.dropped, count);
    }
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
closeSync(fd);
