// Writes synthetic traces in the trace file format (docs/trace-format.md, version 1). The only
// place outside instrument/ that knows the binary layout: when the format changes, this adapter
// changes with it, and everything that generates traces (bench/analysis-shapes.ts,
// bench/analysis-from-objects.ts, the tests) stays as it is.
import { writeFileSync } from 'node:fs';
import type { ProfileChunk } from '../instrument/profiler.js';
import { HEADER_BYTES, RecordKind, TRACE_MAGIC, TRACE_VERSION } from '../instrument/protocol.js';
import type { SchedRecord } from '../src/model/build-model.js';
import type { EndRecord, ErrorRecord, MarkRecord, ModuleRecord, TraceMeta } from '../src/trace/read-trace.js';

/** The recorder's Sched record kind (written by newer recorders; see src/model/build-model.ts). */
export const SCHED_RECORD_KIND = 10;
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
}

function record(kind: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32LE(kind, 0);
  header.writeUInt32LE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

const json = (kind: number, value: unknown) => record(kind, Buffer.from(JSON.stringify(value), 'utf8'));

/** Event chunks as Events records: f64 base, u32 count, u32 dropped, then the events, time relative to the base. */
function eventRecords(content: TraceContent): Buffer[] {
  const out: Buffer[] = [];
  const { events, eventCount } = content;
  for (let first = 0; first < eventCount; first += EVENTS_PER_CHUNK) {
    const count = Math.min(EVENTS_PER_CHUNK, eventCount - first);
    const baseUs = events[first * 4 + 3]!;
    const bytes = new ArrayBuffer(16 + count * 16);
    const head = new DataView(bytes, 0, 16);
    head.setFloat64(0, content.meta.originMs + baseUs / 1000, true);
    head.setUint32(8, count, true);
    head.setUint32(12, 0, true);
    // Typed-array words are little endian on every platform Node runs this on (x64, arm64).
    const words = new Int32Array(bytes, 16, count * 4);
    words.set(events.subarray(first * 4, (first + count) * 4));
    for (let i = 3; i < words.length; i += 4) words[i] = words[i]! - baseUs;
    out.push(record(RecordKind.Events, Buffer.from(bytes)));
  }
  return out;
}

export function encodeTrace(content: TraceContent): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(TRACE_MAGIC, 0, 'latin1');
  header.writeUInt32LE(TRACE_VERSION, 8);
  const parts: Buffer[] = [header, json(RecordKind.Meta, content.meta)];
  for (const mod of content.modules) parts.push(json(RecordKind.Module, mod));
  if (content.startMs !== null) parts.push(json(RecordKind.Start, { atMs: content.startMs }));
  parts.push(...eventRecords(content));
  for (const profile of content.profiles) parts.push(json(RecordKind.Profile, profile));
  for (const sched of content.sched) parts.push(json(SCHED_RECORD_KIND, sched));
  for (const error of content.errors) parts.push(json(RecordKind.Error, error));
  for (const marks of content.marks) parts.push(json(RecordKind.Marks, marks));
  if (content.end) parts.push(json(RecordKind.End, content.end));
  return Buffer.concat(parts);
}

export function writeTrace(path: string, content: TraceContent): number {
  const bytes = encodeTrace(content);
  writeFileSync(path, bytes);
  return bytes.length;
}
