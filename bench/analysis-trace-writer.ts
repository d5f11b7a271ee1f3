// Writes synthetic traces in the trace file format (docs/trace-format.md, version 2: framed
// records with checksums and a sequence number per stream). The only
// place outside instrument/ that knows the binary layout: when the format changes, this adapter
// changes with it, and everything that generates traces (bench/analysis-shapes.ts,
// bench/analysis-from-objects.ts, the tests) stays as it is.
import { writeFileSync } from 'node:fs';
import type { ProfileChunk } from '../contract/index.js';
import { EVENT_CHUNK_HEAD_BYTES, HEADER_BYTES, RECORD_HEADER_BYTES, RecordKind, Stream, TRACE_MAGIC, TRACE_VERSION, payloadChecksum, writeEventChunkHead, writeRecordHeader } from '../contract/index.js';
import { partSeq } from '../instrument/event-pipe-layout.js';
import type { EndRecord, ErrorRecord, MarkRecord, ModuleRecord, RoutesRecord, SchedRecord, TraceMeta } from '../contract/index.js';

/** Events per Events record, as the recorder flushes them. */
const EVENTS_PER_CHUNK = 16_384;

export interface TraceContent {
  meta: TraceMeta;
  modules: ModuleRecord[];
  /**
   * Events, four words each: [type | x << 8, a, b, time], time in whole microseconds after
   * meta.originMs, in time order.
   */
  events: Int32Array;
  eventCount: number;
  profiles: ProfileChunk[];
  errors: ErrorRecord[];
  marks: MarkRecord[];
  end: EndRecord | null;
  /** When the script's first line ran (ms, the performance.now() clock); null: no Start record. */
  startMs: number | null;
  sched: SchedRecord[];
  /** Names of HTTP request routes (revision 4). */
  routes?: RoutesRecord[];
}

/** Numbers each stream's records from 0, as the writers do. */
class Framer {
  readonly #next = new Map<number, number>();

  record(kind: number, stream: number, payload: Buffer, seq = this.#seq(stream)): Buffer {
    const header = Buffer.alloc(RECORD_HEADER_BYTES);
    writeRecordHeader(header, 0, { kind, stream, length: payload.length, seq, payloadCrc: payloadChecksum([payload]) });
    return Buffer.concat([header, payload]);
  }

  json(kind: number, value: unknown, stream: number = Stream.Process): Buffer {
    return this.record(kind, stream, Buffer.from(JSON.stringify(value), 'utf8'));
  }

  #seq(stream: number): number {
    const seq = this.#next.get(stream) ?? 0;
    this.#next.set(stream, seq + 1);
    return seq;
  }
}

/** Event chunks as Events records, each whole (one part): the chunk head, then the events, time relative to the base. */
function eventRecords(content: TraceContent, framer: Framer): Buffer[] {
  const out: Buffer[] = [];
  const { events, eventCount } = content;
  for (let first = 0, chunk = 0; first < eventCount; first += EVENTS_PER_CHUNK, chunk++) {
    const count = Math.min(EVENTS_PER_CHUNK, eventCount - first);
    const baseUs = events[first * 4 + 3]!;
    const payload = Buffer.alloc(EVENT_CHUNK_HEAD_BYTES + count * 16);
    writeEventChunkHead(payload, content.meta.originMs + baseUs / 1000, count, 0);
    // Typed-array words are little endian on every platform Node runs this on (x64, arm64).
    const words = new Int32Array(payload.buffer, payload.byteOffset + EVENT_CHUNK_HEAD_BYTES, count * 4);
    words.set(events.subarray(first * 4, (first + count) * 4));
    for (let i = 3; i < words.length; i += 4) words[i] = words[i]! - baseUs;
    out.push(framer.record(RecordKind.Events, Stream.Events, payload, partSeq(chunk, 0, true)));
  }
  return out;
}

export function encodeTrace(content: TraceContent): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(TRACE_MAGIC, 0, 'latin1');
  header.writeUInt32LE(TRACE_VERSION, 8);
  const framer = new Framer();
  const parts: Buffer[] = [header, framer.json(RecordKind.Meta, content.meta)];
  for (const mod of content.modules) parts.push(framer.json(RecordKind.Module, mod));
  for (const routes of content.routes ?? []) parts.push(framer.json(RecordKind.Routes, routes));
  if (content.startMs !== null) parts.push(framer.json(RecordKind.Start, { atMs: content.startMs }));
  parts.push(...eventRecords(content, framer));
  for (const profile of content.profiles) parts.push(framer.json(RecordKind.Profile, profile));
  for (const sched of content.sched) parts.push(framer.json(RecordKind.Sched, sched, Stream.Recorder));
  for (const error of content.errors) parts.push(framer.json(RecordKind.Error, error));
  for (const marks of content.marks) parts.push(framer.json(RecordKind.Marks, marks));
  if (content.end) parts.push(framer.json(RecordKind.End, content.end));
  return Buffer.concat(parts);
}

export function writeTrace(path: string, content: TraceContent): number {
  const bytes = encodeTrace(content);
  writeFileSync(path, bytes);
  return bytes.length;
}
