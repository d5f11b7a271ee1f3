// Damaged traces never crash the reader (issue 20): a seeded fuzz of real traces recorded here,
// through the commands that read traces. Every run must end in exit 0 with a report that is
// either the undamaged one or carries a warning, or in exit 1 with one line; never exit 70, a
// stack trace, a hang, or more than 200 MB of memory. Duplicated, reordered and missing event
// chunks must be reported. FUZZ_SEED and FUZZ_MUTATIONS change the run (defaults: 20, 300).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADER_BYTES, RECORD_HEADER_BYTES, RecordKind, readRecordHeader } from '../contract/index.js';
import { runCli, type CliResult } from './helpers/cli.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20);
const MUTATIONS = Number(process.env.FUZZ_MUTATIONS ?? 300);
const MAX_RSS_MB = 200;
const PARALLEL = 2;

const tmp = mkdtempSync(join(tmpdir(), 'async-prof-fuzz-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** mulberry32: a small seeded generator, so a failing case can be run again. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Span {
  start: number;
  end: number;
  kind: number;
}

/** The records of an undamaged version 2 trace, by where they are. */
function recordSpans(bytes: Buffer): Span[] {
  const spans: Span[] = [];
  let offset = HEADER_BYTES;
  while (offset < bytes.length) {
    const header = readRecordHeader(bytes, offset);
    if (!header) throw new Error(`not a whole v2 trace at byte ${offset}`);
    const end = offset + RECORD_HEADER_BYTES + header.length;
    spans.push({ start: offset, end, kind: header.kind });
    offset = end;
  }
  return spans;
}

interface Source {
  name: string;
  path: string;
  bytes: Buffer;
  spans: Span[];
  report: unknown;
}

/** What the report says, without where the trace was. */
function reportOf(stdout: string): unknown {
  const report = JSON.parse(stdout) as { trace?: unknown };
  delete report.trace;
  return report;
}

type Mutation = { name: string; expect?: RegExp; bytes: Buffer };

function mutate(source: Source, rand: () => number): Mutation {
  const b = source.bytes;
  const int = (n: number) => Math.floor(rand() * n);
  const events = source.spans.filter((s) => s.kind === RecordKind.Events);
  const anyRecord = () => source.spans[int(source.spans.length)]!;
  const cut = (from: number, to: number) => b.subarray(from, to);
  switch (int(11)) {
    case 0: {
      const at = int(b.length);
      return { name: `truncated at ${at}`, bytes: Buffer.from(cut(0, at)) };
    }
    case 1: {
      const out = Buffer.from(b);
      const flips = 1 + int(8);
      for (let i = 0; i < flips; i++) out[int(out.length)] ^= 1 << int(8);
      return { name: `${flips} bit flips`, bytes: out };
    }
    case 2: {
      const out = Buffer.from(b);
      const at = int(out.length);
      const length = 1 + int(4096);
      out.fill(0, at, Math.min(out.length, at + length));
      return { name: `${length} bytes zeroed at ${at}`, bytes: out };
    }
    case 3: {
      const from = int(b.length);
      const length = 1 + int(8192);
      const at = int(b.length);
      return { name: `${length} bytes from ${from} copied in at ${at}`, bytes: Buffer.concat([cut(0, at), cut(from, from + length), cut(at, b.length)]) };
    }
    case 4: {
      const chunk = events[int(events.length)]!;
      return {
        name: `event chunk at ${chunk.start} duplicated`,
        expect: /duplicated record/,
        bytes: Buffer.concat([cut(0, chunk.end), cut(chunk.start, chunk.end), cut(chunk.end, b.length)]),
      };
    }
    case 5: {
      if (events.length < 2) return mutate(source, rand);
      const i = int(events.length - 1);
      const [x, y] = [events[i]!, events[i + 1]!];
      return {
        name: `event chunks at ${x.start} and ${y.start} swapped`,
        expect: /out of order/,
        bytes: Buffer.concat([cut(0, x.start), cut(y.start, y.end), cut(x.end, y.start), cut(x.start, x.end), cut(y.end, b.length)]),
      };
    }
    case 6: {
      // Not the last chunk: a lost last chunk looks like a run that ended earlier.
      if (events.length < 2) return mutate(source, rand);
      const chunk = events[int(events.length - 1)]!;
      return { name: `event chunk at ${chunk.start} removed`, expect: /event chunks? missing/, bytes: Buffer.concat([cut(0, chunk.start), cut(chunk.end, b.length)]) };
    }
    case 7: {
      const record = anyRecord();
      const out = Buffer.from(b);
      out.writeUInt32LE(0xfffffff0 - int(1000), record.start + 8);
      return { name: `huge length in the record at ${record.start}`, bytes: out };
    }
    case 8: {
      const length = 1 + int(1 << 20);
      const tail = rand() < 0.5 ? Buffer.alloc(length) : Buffer.from(Array.from({ length }, () => int(256)));
      return { name: `${length} bytes of garbage appended`, bytes: Buffer.concat([b, tail]) };
    }
    case 9: {
      const at = int(b.length);
      const length = 1 + int(2048);
      const garbage = Buffer.from(Array.from({ length }, () => int(256)));
      return { name: `${length} random bytes inserted at ${at}`, bytes: Buffer.concat([cut(0, at), garbage, cut(at, b.length)]) };
    }
    default: {
      const record = anyRecord();
      const out = Buffer.from(b);
      // A letter of a JSON key or value changed, or a byte of an event.
      const at = record.start + RECORD_HEADER_BYTES + int(record.end - record.start - RECORD_HEADER_BYTES);
      out[at] = out[at]! === 0x61 ? 0x62 : 0x61;
      return { name: `one byte changed at ${at} (record kind ${record.kind})`, bytes: out };
    }
  }
}

const COMMANDS: ((trace: string, other: string) => string[])[] = [
  (t) => ['report', t],
  (t) => ['export', t, '--format', 'chrome', join(tmp, 'out.json')],
  (t) => ['export', t, '--html', join(tmp, 'out.html')],
  (t, other) => ['compare', t, other],
];

function checkOutcome(label: string, result: CliResult): void {
  const where = `${label}\n--- stderr:\n${result.stderr.slice(0, 2000)}`;
  expect(result.signal, where).toBeNull();
  expect([0, 1], where).toContain(result.code);
  expect(result.stderr, where).not.toMatch(/\n\s+at .+:\d+/);
  expect(result.stderr, where).not.toContain('internal error');
  if (result.code === 1) expect(result.stderr.trim().split('\n'), where).toHaveLength(1);
  // A line for each kind of damage, not one per damaged byte.
  expect(result.stderr.split('\n').length, where).toBeLessThan(12);
  expect(result.maxRssMb ?? 0, where).toBeLessThan(MAX_RSS_MB);
}

const sources: Source[] = [];

beforeAll(async () => {
  const record = async (name: string, script: string, env: NodeJS.ProcessEnv = {}) => {
    const path = join(tmp, `${name}.trace`);
    const run = await runCli(['run', '--no-serve', '--quiet', '-o', path, script], { env });
    expect(run.code, run.stderr).toBe(0);
    const bytes = readFileSync(path);
    const report = await runCli(['report', '--json', path]);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stderr).toBe('');
    sources.push({ name, path, bytes, spans: recordSpans(bytes), report: reportOf(report.stdout) });
  };
  // Small chunks: many event records to duplicate, swap and lose.
  await record('download-manager', 'samples/download-manager.ts', { SAMPLE_TIME_SCALE: '0.1' });
  await record('busy', 'test/fixtures/core/busy-method.ts');
}, 120_000);

describe('damaged traces', () => {
  it(`${MUTATIONS} seeded mutations (seed ${SEED}) through report --json and one more command each`, { timeout: 1_200_000 }, async () => {
    const rand = random(SEED);
    const outcomes = { exact: 0, warned: 0, refused: 0 };
    const byExpectation = { expected: 0, reported: 0 };
    let peakRss = 0;
    const cases = Array.from({ length: MUTATIONS }, (_, i) => {
      const source = sources[i % sources.length]!;
      return { i, source, mutation: mutate(source, rand), command: COMMANDS[i % COMMANDS.length]! };
    });
    const runCase = async ({ i, source, mutation, command }: (typeof cases)[number]) => {
      const file = join(tmp, `case-${i}.trace`);
      writeFileSync(file, mutation.bytes);
      const label = `case ${i} (seed ${SEED}): ${source.name}, ${mutation.name}`;
      const json = await runCli(['report', '--json', file], { measureRss: true, timeoutMs: 60_000 });
      checkOutcome(`${label}: report --json`, json);
      peakRss = Math.max(peakRss, json.maxRssMb ?? 0);
      if (json.code === 1) outcomes.refused++;
      else if (json.stderr.includes('warning')) outcomes.warned++;
      else {
        // No warning: then it must be the undamaged report, not a silently different one.
        expect(reportOf(json.stdout), `${label}: changed the report without a warning`).toEqual(source.report);
        outcomes.exact++;
      }
      if (mutation.expect) {
        byExpectation.expected++;
        expect(json.stderr, `${label}: the damage is not reported`).toMatch(mutation.expect);
        byExpectation.reported++;
      }
      const other = await runCli(command(file, source.path), { measureRss: true, timeoutMs: 60_000 });
      checkOutcome(`${label}: ${command(file, source.path).slice(0, 2).join(' ')}`, other);
      peakRss = Math.max(peakRss, other.maxRssMb ?? 0);
      // Whatever `report` read, the others read the same way.
      expect(other.code, label).toBe(json.code);
      rmSync(file, { force: true });
    };
    let next = 0;
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < cases.length) await runCase(cases[next++]!);
      }),
    );
    console.log(`fuzz seed ${SEED}: ${MUTATIONS} mutations: ${outcomes.exact} read as undamaged, ${outcomes.warned} read with a warning, ${outcomes.refused} refused (exit 1); ${byExpectation.reported}/${byExpectation.expected} duplicated, swapped or removed chunks reported; peak RSS ${peakRss.toFixed(0)} MB`);
    expect(outcomes.exact + outcomes.warned + outcomes.refused).toBe(MUTATIONS);
  });

  it('a valid trace followed by 64 MB of zeros: every command reads it in under 200 MB with one warning', { timeout: 300_000 }, async () => {
    const source = sources[0]!;
    const file = join(tmp, 'zeros.trace');
    writeFileSync(file, Buffer.concat([source.bytes, Buffer.alloc(64 * 1024 ** 2)]));
    const commands = [['report', file], ['report', '--json', file], ...COMMANDS.slice(1).map((c) => c(file, source.path))];
    for (const args of commands) {
      const result = await runCli(args, { measureRss: true, timeoutMs: 120_000 });
      checkOutcome(args.join(' '), result);
      expect(result.code, result.stderr).toBe(0);
      const warnings = result.stderr.split('\n').filter((l) => l.includes('warning'));
      expect(warnings, `${args[0]}: ${result.stderr}`).toHaveLength(1);
      expect(warnings[0]).toMatch(/64\.0 MB that are not records/);
    }
    const json = await runCli(['report', '--json', file]);
    expect({ ...(reportOf(json.stdout) as object), warnings: [] }).toEqual({ ...(source.report as object), warnings: [] });
  });
});
