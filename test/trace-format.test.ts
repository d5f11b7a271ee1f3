// Trace format version 2 (docs/trace-format.md): the writer's failure API, checksums, sequence
// numbers, the sealer, and version 1 still read. Real files written by the real TraceWriter.
import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RECORD_HEADER_BYTES, RecordKind, Stream, buildMeta, payloadChecksum, writeRecordHeader } from '../contract/index.js';
import { TraceWriter } from '../instrument/trace-writer.js';
import { TraceError } from '../src/errors.js';
import { readTrace } from '../src/trace/read-trace.js';
import { sealTrace } from '../src/trace/seal-trace.js';
import { repoRoot } from './helpers/run-sample.js';

const tmp = mkdtempSync(join(tmpdir(), 'async-prof-format-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(tmp, `t${++n}.trace`);

const meta = buildMeta({
  script: '/x/app.ts',
  args: [],
  cwd: '/x',
  startEpochMs: 0,
  originMs: 0,
  hrOriginMs: 0,
  blockingThresholdMs: 50,
  samplingIntervalUs: 0,
  clockTickUs: 200,
  profilerDir: '/p/',
});

/** Events of one task entering and exiting: [word0, a, b, time]. */
function taskEvents(taskId: number): Int32Array {
  return Int32Array.of(1 | (1 << 8), taskId, 0, 10, 4 | (1 << 8), taskId, 0, 20);
}

/** A small whole trace: Meta, Start, three event chunks, End. Returns the writer's file. */
function writeTrace(path = fresh()): string {
  const writer = new TraceWriter(path, 1024 ** 3);
  writer.writeJson(RecordKind.Meta, meta);
  writer.writeJson(RecordKind.Module, { file: '/x/app.ts', firstId: 1, functions: ['work', 3, 0], ranges: [3, 5] });
  writer.writeJson(RecordKind.Start, { atMs: 0 });
  for (let seq = 0; seq < 3; seq++) expect(writer.writeEventChunk(seq, seq * 1.5, taskEvents(seq + 1), 2, 0)).toBe(true);
  writer.writeJson(RecordKind.End, { exitCode: 0, signal: null, endMs: 10 });
  writer.close();
  expect(writer.failed).toBeNull();
  return path;
}

/** Where each record of a whole v2 trace starts and ends. */
function spans(bytes: Buffer): { start: number; end: number; kind: number }[] {
  const out = [];
  let offset = 16;
  while (offset < bytes.length) {
    const length = bytes.readUInt32LE(offset + 8);
    out.push({ start: offset, end: offset + RECORD_HEADER_BYTES + length, kind: bytes.readUInt16LE(offset + 4) });
    offset += RECORD_HEADER_BYTES + length;
  }
  return out;
}

describe('writer', () => {
  it('writes version 2 records that read back whole, chunks in their order', () => {
    const trace = readTrace(writeTrace());
    expect(trace.formatVersion).toBe(2);
    expect(trace.damaged).toBe(false);
    expect(trace.warnings).toEqual([]);
    expect(trace.meta).toEqual(meta);
    expect(trace.chunks.map((c) => c.base)).toEqual([0, 1.5, 3]);
    expect([...trace.chunks[2]!.events]).toEqual([...taskEvents(3)]);
  });

  it('never throws: a write to a full device turns it off, keeps the reason, calls onFailure once and returns false', () => {
    const reasons: string[] = [];
    const writer = new TraceWriter('/dev/full', 1024 ** 3, { onFailure: (r) => reasons.push(r) });
    // The 16-byte file header already fails on /dev/full.
    expect(writer.failed).toMatch(/ENOSPC/);
    expect(writer.writeJson(RecordKind.Meta, meta)).toBe(false);
    expect(writer.writeEventChunk(0, 0, taskEvents(1), 2, 0)).toBe(false);
    expect(writer.hasRoom).toBe(false);
    writer.close();
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toBe(writer.failed);
  });

  it('never throws when the file cannot be opened (a directory, a read-only place), nor when onFailure throws', () => {
    const dir = join(tmp, 'a-directory');
    mkdirSync(dir);
    const writer = new TraceWriter(dir, 1024 ** 3, {
      onFailure: () => {
        throw new Error('the handler fails too');
      },
    });
    expect(writer.failed).toMatch(/EISDIR/);
    expect(writer.writeJson(RecordKind.Meta, meta)).toBe(false);
    const readOnly = join(tmp, 'read-only');
    mkdirSync(readOnly);
    chmodSync(readOnly, 0o500);
    const second = new TraceWriter(join(readOnly, 'x.trace'), 1024 ** 3);
    // Root may write anyway; anyone else gets EACCES. Either way nothing is thrown.
    expect(second.failed === null || /EACCES/.test(second.failed)).toBe(true);
  });

  it('drops a value JSON cannot encode without turning itself off', () => {
    const path = fresh();
    const writer = new TraceWriter(path, 1024 ** 3);
    expect(writer.writeJson(RecordKind.Meta, meta)).toBe(true);
    expect(writer.writeJson(RecordKind.Marks, { entries: [], big: 1n })).toBe(false);
    expect(writer.failed).toBeNull();
    expect(writer.writeJson(RecordKind.Start, { atMs: 1 })).toBe(true);
    writer.close();
    expect(readTrace(path).scriptStartMs).toBe(1);
  });

  it('stops at a file-size limit (EFBIG, `ulimit -f`) in a real process, with what was written before readable', () => {
    const path = fresh();
    const child = `
      import { TraceWriter } from ${JSON.stringify(join(repoRoot, 'instrument/trace-writer.ts'))};
      const failures = [];
      const writer = new TraceWriter(${JSON.stringify(path)}, 1024 ** 3, { onFailure: (r) => failures.push(r) });
      writer.writeJson(1, ${JSON.stringify(meta)});
      let written = 0;
      const events = new Int32Array(4 * 1000);
      while (written < 100 && writer.writeEventChunk(written, written, events, 1000, 0)) written++;
      console.log(JSON.stringify({ written, failed: writer.failed, failures }));
    `;
    const script = join(tmp, 'efbig.mts');
    writeFileSync(script, child);
    // 64 blocks of 1 KiB: Node ignores SIGXFSZ, so the write fails with EFBIG instead of killing it.
    const run = spawnSync('bash', ['-c', `ulimit -f 64 && exec "${process.execPath}" --import tsx "${script}"`], { cwd: repoRoot, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as { written: number; failed: string; failures: string[] };
    expect(out.failed).toMatch(/EFBIG/);
    expect(out.failures).toEqual([out.failed]);
    expect(out.written).toBeGreaterThan(0);
    expect(out.written).toBeLessThan(100);
    const trace = readTrace(path);
    expect(trace.chunks).toHaveLength(out.written);
    expect(trace.warnings.some((w) => /ends in the middle of an? Events record/.test(w))).toBe(true);
  });
});

describe('reader', () => {
  it('ignores a duplicated event chunk and says so', () => {
    const path = writeTrace();
    const bytes = readFileSync(path);
    const chunk = spans(bytes).filter((s) => s.kind === RecordKind.Events)[1]!;
    writeFileSync(path, Buffer.concat([bytes.subarray(0, chunk.end), bytes.subarray(chunk.start, chunk.end), bytes.subarray(chunk.end)]));
    const trace = readTrace(path);
    expect(trace.chunks.map((c) => c.base)).toEqual([0, 1.5, 3]);
    expect(trace.warnings).toEqual(['ignored 1 duplicated record (Events)']);
    expect(trace.damaged).toBe(true);
  });

  it('puts swapped chunks back in order, and counts a missing one', () => {
    const path = writeTrace();
    const bytes = readFileSync(path);
    const [a, b, c] = spans(bytes).filter((s) => s.kind === RecordKind.Events);
    const swapped = Buffer.concat([bytes.subarray(0, a!.start), bytes.subarray(b!.start, b!.end), bytes.subarray(a!.start, a!.end), bytes.subarray(c!.start)]);
    writeFileSync(path, swapped);
    let trace = readTrace(path);
    expect(trace.chunks.map((x) => x.base)).toEqual([0, 1.5, 3]);
    expect(trace.warnings).toEqual(['1 event chunk out of order in the file: read in their recorded order']);

    writeFileSync(path, Buffer.concat([bytes.subarray(0, b!.start), bytes.subarray(b!.end)]));
    trace = readTrace(path);
    expect(trace.chunks.map((x) => x.base)).toEqual([0, 3]);
    expect(trace.warnings).toEqual(['1 event chunk missing from the trace: the report lacks their events']);
  });

  it('skips a record that fails its checksum and reads on', () => {
    const path = writeTrace();
    const bytes = readFileSync(path);
    const chunk = spans(bytes).filter((s) => s.kind === RecordKind.Events)[0]!;
    bytes[chunk.start + RECORD_HEADER_BYTES + 20] ^= 0x10;
    writeFileSync(path, bytes);
    const trace = readTrace(path);
    expect(trace.chunks.map((x) => x.base)).toEqual([1.5, 3]);
    expect(trace.end).not.toBeNull();
    expect(trace.warnings).toEqual([
      `skipped 1 damaged record (Events; the first at byte ${chunk.start}: checksum mismatch): what they held is missing from the report`,
      '1 event chunk missing from the trace: the report lacks their events',
    ]);
  });

  it('a record whose shape is wrong: skipped with its offset; a damaged Meta: exit 1 with its offset', () => {
    const path = fresh();
    const writer = new TraceWriter(path, 1024 ** 3);
    writer.writeJson(RecordKind.Meta, meta);
    writer.writeJson(RecordKind.Start, { atMs: 'soon' });
    writer.writeJson(RecordKind.End, { exitCode: 0, signal: null });
    writer.close();
    const trace = readTrace(path);
    expect(trace.scriptStartMs).toBeNull();
    expect(trace.warnings[0]).toMatch(/^skipped 1 damaged record \(Start; the first at byte \d+: "atMs" is not a number\)/);

    const badMeta = fresh();
    const w2 = new TraceWriter(badMeta, 1024 ** 3);
    w2.writeJson(RecordKind.Meta, { ...meta, script: 42 });
    w2.close();
    expect(() => readTrace(badMeta)).toThrow(TraceError);
    expect(() => readTrace(badMeta)).toThrow(/corrupt or empty: its Meta record at byte 16 is damaged \("script" is not a string\)/);
  });

  it('never quotes the damaged text in a warning', () => {
    const path = fresh();
    const writer = new TraceWriter(path, 1024 ** 3);
    writer.writeJson(RecordKind.Meta, meta);
    writer.writeRecord(RecordKind.Marks, [Buffer.from('\x1b]0;owned\x07{not json')]);
    writer.close();
    const [warning] = readTrace(path).warnings;
    expect(warning).toContain('not valid JSON');
    expect(warning).not.toContain('owned');
  });

  it('a write that failed half-way, with the other thread\'s records after it: resumes at the next whole record', () => {
    const path = writeTrace();
    const bytes = readFileSync(path);
    const [first, second] = spans(bytes).filter((s) => s.kind === RecordKind.Events);
    // The first chunk's header and half its payload, then the rest of the file.
    const half = first!.start + RECORD_HEADER_BYTES + 10;
    writeFileSync(path, Buffer.concat([bytes.subarray(0, half), bytes.subarray(second!.start)]));
    const trace = readTrace(path);
    expect(trace.chunks.map((x) => x.base)).toEqual([1.5, 3]);
    expect(trace.end).not.toBeNull();
    expect(trace.warnings[0]).toMatch(/skipped 1 damaged record \(Events; the first at byte \d+: cut short\)/);
  });

  it('coalesces garbage: a 1 MiB run of zeros after the trace is one warning, and unknown kinds one more', () => {
    const path = writeTrace();
    const size = statSync(path).size;
    const unknown = Buffer.from('{}');
    const head = Buffer.alloc(RECORD_HEADER_BYTES);
    writeRecordHeader(head, 0, { kind: 77, stream: Stream.Process, length: unknown.length, seq: 4, payloadCrc: payloadChecksum([unknown]) });
    appendFileSync(path, Buffer.concat([head, unknown, Buffer.alloc(1024 ** 2)]));
    const trace = readTrace(path);
    expect(trace.warnings).toEqual([
      `skipped 1.0 MB that are not records from byte ${(size + RECORD_HEADER_BYTES + 2).toLocaleString('en-US')} (after the last record)`,
      'skipped records of kinds this async-prof does not know (kind 77): written by a newer version?',
    ]);
  });

  it('refuses what is not a trace, a newer version, a directory and a missing file with one line', () => {
    const notTrace = fresh();
    writeFileSync(notTrace, 'hello');
    expect(() => readTrace(notTrace)).toThrow(/not an async-prof trace/);
    const newer = writeTrace();
    const bytes = readFileSync(newer);
    bytes.writeUInt32LE(9, 8);
    writeFileSync(newer, bytes);
    expect(() => readTrace(newer)).toThrow(/trace format v9, written by a newer async-prof; this async-prof reads v1 and v2/);
    expect(() => readTrace(tmp)).toThrow(/is not a file/);
    expect(() => readTrace(join(tmp, 'nope.trace'))).toThrow(/trace not found/);
  });

  it('reads a version 1 trace recorded by the previous writer', () => {
    const trace = readTrace(join(repoRoot, 'test/fixtures/traces/v1-names.trace'));
    expect(trace.formatVersion).toBe(1);
    expect(trace.warnings).toEqual([]);
    expect(trace.meta.script).toMatch(/names\.ts$/);
    const names = trace.modules.flatMap((m) => m.functions.filter((_, i) => i % 3 === 0));
    expect(names).toEqual(expect.arrayContaining(['Shop.brew', 'Shop.open', 'fetchUser', 'getItems', 'countdown']));
    expect(trace.chunks.length).toBeGreaterThan(0);
  });

  it('version 1 with garbage after it: one warning, the records before it kept', () => {
    const path = fresh();
    const v1 = readFileSync(join(repoRoot, 'test/fixtures/traces/v1-names.trace'));
    writeFileSync(path, Buffer.concat([v1, Buffer.alloc(1024 ** 2)]));
    const trace = readTrace(path);
    expect(trace.warnings).toEqual([`skipped 1.0 MB that are not records from byte ${v1.length.toLocaleString('en-US')} (after the last record)`]);
    expect(trace.chunks.length).toBe(readTrace(join(repoRoot, 'test/fixtures/traces/v1-names.trace')).chunks.length);
  });
});

describe('sealer', () => {
  it('cuts a half-written last record off and appends the Epilogue once', () => {
    const path = writeTrace();
    const whole = statSync(path).size;
    const bytes = readFileSync(path);
    const last = spans(bytes).at(-1)!;
    // The process died while writing End.
    writeFileSync(path, bytes.subarray(0, last.start + 30));
    expect(sealTrace(path, { exitCode: 137, signal: 'SIGKILL', timedOut: false })).toBeNull();
    expect(sealTrace(path, { exitCode: 137, signal: 'SIGKILL', timedOut: false })).toBeNull();
    const trace = readTrace(path);
    expect(trace.end).toBeNull();
    expect(trace.epilogue).toEqual({ exitCode: 137, signal: 'SIGKILL', timedOut: false });
    expect(trace.warnings).toEqual(['the profiled process did not finish writing its trace (SIGKILL): showing what was recorded up to its last flush']);
    expect(statSync(path).size).toBeLessThan(whole + 100);
  });

  it('keeps the other thread\'s records that follow a half-written one', () => {
    const path = writeTrace();
    const bytes = readFileSync(path);
    const [first, second] = spans(bytes).filter((s) => s.kind === RecordKind.Events);
    writeFileSync(path, Buffer.concat([bytes.subarray(0, first!.start + RECORD_HEADER_BYTES + 10), bytes.subarray(second!.start)]));
    expect(sealTrace(path, { exitCode: 0, signal: null, timedOut: false })).toBeNull();
    const trace = readTrace(path);
    expect(trace.chunks.map((x) => x.base)).toEqual([1.5, 3]);
    expect(trace.end).not.toBeNull();
    expect(trace.epilogue).toEqual({ exitCode: 0, signal: null, timedOut: false });
  });

  it('returns the reason instead of throwing when it cannot seal', () => {
    expect(sealTrace(join(tmp, 'missing.trace'), { exitCode: 0, signal: null, timedOut: false })).toBe('ENOENT');
  });
});
