// Builds a RawTrace from the records a reader found, in file order: checks each record's shape,
// drops duplicates, puts event chunks back in their recorded order, counts what is missing, and
// turns what went wrong into a few warnings (damage.ts).
import { Stream, RecordKind, STREAM_COUNT, readEventChunkHead, EVENT_BYTES, EVENT_CHUNK_HEAD_BYTES, RECORD_HEADER_BYTES, payloadChecksum, readRecordHeader, readThreadRecord } from '../../contract/index.js';
import type { TraceMeta } from '../../contract/index.js';
import { TraceError } from '../errors.js';
import { DamageLedger, kindName } from './damage.js';
import { formatMs } from '../shared/format.js';
import { ShapeError, endShape, errorShape, marksShape, metaShape, moduleShape, profileShape, routesShape, schedShape, startShape, windowShape } from './record-shapes.js';
import { STOP_SIGNALS, rawTrace, type EventChunk, type RawTrace } from './raw-trace.js';

const KNOWN_KINDS = new Set<number>(Object.values(RecordKind));

/** Version 1 writers wrote these kinds and no other: anything else in a v1 file is damage. */
export function isV1Kind(kind: number): boolean {
  return KNOWN_KINDS.has(kind);
}

function json(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch {
    // Not the parser's message: it quotes the payload, which is nothing to print.
    throw new ShapeError('not valid JSON');
  }
}

function eventChunk(payload: Buffer): EventChunk & { dropped: number } {
  if (payload.length < EVENT_CHUNK_HEAD_BYTES) throw new ShapeError('shorter than an event chunk head');
  const head = readEventChunkHead(payload);
  if (EVENT_CHUNK_HEAD_BYTES + head.count * EVENT_BYTES !== payload.length) throw new ShapeError('its event count does not match its length');
  if (!Number.isFinite(head.base)) throw new ShapeError('its base time is not a number');
  // Copy: the payload is not 4-byte aligned.
  const events = new Int32Array(head.count * 4);
  new Uint8Array(events.buffer).set(payload.subarray(EVENT_CHUNK_HEAD_BYTES));
  return { base: head.base, events, dropped: head.dropped };
}

interface NumberedChunk {
  seq: number;
  chunk: EventChunk;
  dropped: number;
}

export class TraceAssembler {
  readonly damage = new DamageLedger();
  private readonly trace: RawTrace;
  private meta: TraceMeta | null = null;
  private damagedMeta: string | null = null;
  private readonly seen = Array.from({ length: STREAM_COUNT }, () => new Set<number>());
  private readonly chunks: NumberedChunk[] = [];
  private highestChunkSeq = -1;
  /** Worker threads' records (Thread records), one assembler per thread, by thread id. */
  private readonly threads = new Map<number, TraceAssembler>();
  /** Node child processes' records (Process records), one assembler per process, by number. */
  private readonly processes = new Map<number, TraceAssembler>();

  constructor(
    private readonly path: string,
    version: number,
    /** The assembler of a worker thread's records (inside Thread records). */
    private readonly threadId: number | null = null,
  ) {
    this.trace = rawTrace(null as unknown as TraceMeta, { path, formatVersion: version });
  }

  /**
   * One whole record, in file order. `stream` is null for version 1 (no sequence numbers);
   * `offset` is where its header starts, for messages.
   */
  add(kind: number, stream: number | null, seq: number, payload: Buffer, offset: number): void {
    if (stream !== null) {
      const seen = this.seen[stream]!;
      if (seen.has(seq)) {
        this.damage.duplicate(kind);
        return;
      }
      seen.add(seq);
    }
    if (!KNOWN_KINDS.has(kind)) {
      // From a newer writer: skipping it keeps this reader useful.
      this.damage.unknownKind(kind);
      return;
    }
    try {
      this.store(kind, stream === null ? this.chunks.length : seq, payload);
    } catch (error) {
      if (!(error instanceof ShapeError)) throw error;
      this.damagedRecord(offset, kind, error.message);
    }
  }

  /** A record that failed its checksum or its shape: skipped. Without a Meta, nothing else can be read. */
  damagedRecord(offset: number, kind: number, why: string): void {
    if (kind === RecordKind.Meta) this.damagedMeta ??= `its ${kindName(kind)} record at byte ${offset.toLocaleString('en-US')} is damaged (${why})`;
    this.damage.damagedRecord(offset, kind, why);
  }

  private store(kind: number, seq: number, payload: Buffer): void {
    const t = this.trace;
    switch (kind) {
      case RecordKind.Meta: {
        const meta = metaShape(json(payload));
        this.meta ??= meta;
        return;
      }
      case RecordKind.Events: {
        const { dropped, ...chunk } = eventChunk(payload);
        if (seq < this.highestChunkSeq) this.damage.reordered(1);
        this.highestChunkSeq = Math.max(this.highestChunkSeq, seq);
        this.chunks.push({ seq, chunk, dropped });
        return;
      }
      case RecordKind.Module:
        t.modules.push(moduleShape(json(payload)));
        return;
      case RecordKind.Profile:
        t.profiles.push(profileShape(json(payload)));
        return;
      case RecordKind.Error:
        t.errors.push(errorShape(json(payload)));
        return;
      case RecordKind.End:
        t.end = endShape(json(payload));
        return;
      case RecordKind.Epilogue:
        t.epilogue = endShape(json(payload));
        return;
      case RecordKind.Start:
        t.scriptStartMs = startShape(json(payload)).atMs;
        return;
      case RecordKind.Marks:
        t.marks.push(marksShape(json(payload)));
        return;
      case RecordKind.Routes:
        (t.routes ??= []).push(routesShape(json(payload)));
        return;
      case RecordKind.Sched:
        (t.sched ??= []).push(schedShape(json(payload)));
        return;
      case RecordKind.Window:
        t.window = windowShape(json(payload));
        return;
      case RecordKind.Thread:
        this.nestedRecord(payload, this.threads, 'worker thread', this.threadId === null);
        return;
      case RecordKind.Process:
        this.nestedRecord(payload, this.processes, 'child process', this.threadId === null);
        return;
    }
  }

  /**
   * A worker thread's or a child process's record: checked as that writer framed it, and handed to
   * its own assembler. A thread's records hold no threads or processes of their own.
   */
  private nestedRecord(payload: Buffer, into: Map<number, TraceAssembler>, what: string, allowed: boolean): void {
    const wrapped = allowed ? readThreadRecord(payload) : null;
    if (wrapped === null) throw new ShapeError(`not a ${what} number and a record`);
    const header = readRecordHeader(wrapped.record, 0);
    if (header === null || RECORD_HEADER_BYTES + header.length !== wrapped.record.length) throw new ShapeError('its record is not whole');
    const inner = wrapped.record.subarray(RECORD_HEADER_BYTES);
    let thread = into.get(wrapped.threadId);
    if (thread === undefined) {
      thread = new TraceAssembler(`${this.path} (${what} ${wrapped.threadId})`, this.trace.formatVersion ?? 2, into === this.threads ? wrapped.threadId : null);
      into.set(wrapped.threadId, thread);
    }
    if (payloadChecksum([inner]) !== header.payloadCrc) {
      thread.damagedRecord(0, header.kind, 'checksum mismatch');
      return;
    }
    thread.add(header.kind, header.stream, header.seq, inner, 0);
  }

  /** The worker threads' or child processes' traces, by number; one that cannot be read is one warning. */
  private finishNested(from: Map<number, TraceAssembler>, what: string): RawTrace[] {
    const out: RawTrace[] = [];
    for (const id of [...from.keys()].sort((a, b) => a - b)) {
      try {
        const nested = from.get(id)!.finish();
        if (from === this.threads) nested.meta.threadId ??= id;
        out.push(nested);
      } catch (error) {
        if (!(error instanceof TraceError)) throw error;
        this.trace.warnings.push(`${what} ${id} could not be read: ${error.message}`);
      }
    }
    return out;
  }

  /** The trace, or a TraceError when there is nothing to analyse (no usable Meta). */
  finish(unfinishedBecause?: string): RawTrace {
    const t = this.trace;
    if (!this.meta) {
      throw new TraceError(`${this.path} is corrupt or empty: ${this.damagedMeta ?? 'no metadata record'}`);
    }
    t.meta = this.meta;
    if (this.threads.size > 0) t.threads = this.finishNested(this.threads, 'worker thread');
    if (this.processes.size > 0) t.processes = this.finishNested(this.processes, 'child process');
    this.chunks.sort((a, b) => a.seq - b.seq);
    if ((t.formatVersion ?? 1) >= 2) this.countMissing();
    t.chunks = this.chunks.map((c) => c.chunk);
    t.damaged = this.damage.any;
    if (!t.end && unfinishedBecause !== undefined) {
      // The cause is known: one line says it; the cut-off record is its consequence.
      t.warnings.push(`the trace stops early: ${unfinishedBecause}; showing what was recorded before`);
      t.warnings.push(...this.damage.warnings({ cutShortExplained: true }));
      return t;
    }
    t.warnings.push(...this.damage.warnings());
    if (t.window) {
      t.warnings.push(
        `a flight recorder's window (run --keep ${formatMs(t.window.keepMs)}): the last ${formatMs(t.window.keepMs)} or a little more of the run; older records were dropped, and tasks that started before the window are not shown` +
          (t.window.snapshot && !t.end ? `; a snapshot taken at ${new Date(t.window.writtenEpochMs).toISOString()} while the process was running` : ''),
      );
      if (t.window.snapshot && !t.end) return t;
    }
    // Stopped by Ctrl-C, kill or a closed terminal: the profiler catches no signal (so that each
    // does to the program what it does bare), and the recorder has written all but the last
    // milliseconds. Anything else without an End record (SIGKILL, a crash of Node) is worth a word.
    // A worker thread ends without End when it is terminated, or when the process exits under
    // it: the normal end of a pool's threads, and its records are all there but the last moments.
    if (!t.end && this.threadId === null && !STOP_SIGNALS.has(t.epilogue?.signal ?? '')) {
      const e = t.epilogue;
      const how = e?.signal ? ` (${e.signal})` : e ? ` (exit ${e.exitCode})` : '';
      t.warnings.push(`the profiled process did not finish writing its trace${how}: showing what was recorded up to its last flush`);
    }
    return t;
  }

  /**
   * Gaps in the sequence numbers: records that never arrived. Event records are numbered by
   * chunk and part (chunk << 16 | last-part bit << 15 | part: instrument/event-pipe-layout.ts):
   * chunks must follow each other, parts of one chunk too, and a chunk followed by another must
   * have its last part (only the chunk being filled when the process died may lack it).
   */
  private countMissing(): void {
    let previousChunk = -1;
    let previousPart = -1;
    let previousWasLast = true;
    // A window starts wherever the recorder was: chunks before its first one were dropped on purpose.
    const first = this.chunks[0];
    if (this.trace.window && first) {
      previousChunk = (first.seq >>> 16) - 1;
    }
    for (const { seq, dropped } of this.chunks) {
      if (this.trace.window && first && seq >>> 16 === previousChunk + 1 && previousPart === -1) {
        // The window's first chunk: its earlier parts may be in a dropped segment.
        previousChunk = seq >>> 16;
        previousPart = seq & 0x7fff;
        previousWasLast = (seq & 0x8000) !== 0;
        continue;
      }
      const chunk = seq >>> 16;
      const part = seq & 0x7fff;
      const last = (seq & 0x8000) !== 0;
      // A gap before a record written after the size limit was reached: dropped, and counted as such.
      if (dropped === 0) {
        if (chunk === previousChunk) {
          if (part > previousPart + 1) this.damage.missing(true, part - previousPart - 1);
        } else {
          if (!previousWasLast) this.damage.missing(true, 1);
          if (chunk > previousChunk + 1) this.damage.missing(true, chunk - previousChunk - 1);
          if (part > 0) this.damage.missing(true, part);
        }
      }
      previousChunk = chunk;
      previousPart = part;
      previousWasLast = last;
    }
    // A window keeps the process's header records and its latest ones: the dropped ones are no damage.
    if (this.trace.window) return;
    const process = this.seen[Stream.Process]!;
    let highest = -1;
    for (const seq of process) if (seq > highest) highest = seq;
    if (highest + 1 > process.size) this.damage.missing(false, highest + 1 - process.size);
  }
}
