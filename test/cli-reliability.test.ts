// The CLI's own reliability (issue 20): every problem is one line with the exit code README
// promises, caught before any script runs where it can be; nothing prints Infinity, floods, or
// prints a huge message twice. Real CLI processes, real files.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RECORD_HEADER_BYTES, RecordKind, buildMeta } from '../contract/index.js';
import { TraceWriter } from '../instrument/trace-writer.js';
import { runCli } from './helpers/cli.js';
import { repoRoot } from './helpers/run-sample.js';

const tmp = mkdtempSync(join(tmpdir(), 'async-prof-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const marker = join(tmp, 'script-ran');
const markerScript = join('test', 'fixtures', 'faults', 'marker-start.mjs');

/** A whole trace of a run that took no time at all (it ended where it began). */
function zeroTimeTrace(path: string): string {
  const writer = new TraceWriter(path, 1024 ** 3);
  writer.writeJson(
    RecordKind.Meta,
    buildMeta({ script: join(tmp, 'instant.ts'), args: [], cwd: tmp, startEpochMs: 0, originMs: 5, hrOriginMs: 0, blockingThresholdMs: 50, samplingIntervalUs: 1000, clockTickUs: 200, profilerDir: '/nowhere/' }),
  );
  writer.writeJson(RecordKind.Start, { atMs: 5 });
  writer.writeJson(RecordKind.End, { exitCode: 0, signal: null, endMs: 5, elu: 0, dropped: 0, tasks: 0 });
  writer.close();
  return path;
}

describe('commands that read traces', () => {
  it('compare against a run that took no time: no Infinity, no NaN, either way round', async () => {
    const zero = zeroTimeTrace(join(tmp, 'zero.trace'));
    const real = join(tmp, 'real.trace');
    const run = await runCli(['run', '--no-serve', '--quiet', '-o', real, join('test', 'fixtures', 'faults', 'many-tasks.mjs')]);
    expect(run.code, run.stderr).toBe(0);
    for (const [a, b] of [
      [zero, real],
      [real, zero],
      [zero, zero],
    ]) {
      const result = await runCli(['compare', a!, b!]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).not.toMatch(/Infinity|NaN/);
      expect(result.stdout).toMatch(/speedup\s+no ratio: [ab] took no time/);
      const json = await runCli(['compare', a!, b!, '--json']);
      expect(json.code).toBe(0);
      expect(json.stdout).not.toMatch(/Infinity|NaN/);
    }
  });

  it('export shows the trace\'s warnings, as report does', async () => {
    const source = zeroTimeTrace(join(tmp, 'to-damage.trace'));
    const bytes = readFileSync(source);
    // The Start record (the second) twice.
    const second = 16 + RECORD_HEADER_BYTES + bytes.readUInt32LE(16 + 8);
    const end = second + RECORD_HEADER_BYTES + bytes.readUInt32LE(second + 8);
    const damaged = join(tmp, 'duplicated.trace');
    writeFileSync(damaged, Buffer.concat([bytes.subarray(0, end), bytes.subarray(second, end), bytes.subarray(end)]));
    for (const args of [
      ['export', damaged, '--html', join(tmp, 'out.html')],
      ['export', damaged, '--format', 'chrome', join(tmp, 'out.json')],
      ['report', damaged],
    ]) {
      const result = await runCli(args);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr, args[0]).toContain('async-prof: warning: ignored 1 duplicated record (Start)');
    }
  });

  it('a 50 MB rejection message: printed in full once (by Node, the script\'s own stderr), by async-prof only cut short', async () => {
    const script = join(tmp, 'huge-rejection.mjs');
    writeFileSync(script, "async function fail() {\n  await Promise.resolve();\n  throw new Error('x'.repeat(50 * 1024 * 1024));\n}\nvoid fail();\n");
    const result = await runCli(['run', '--no-serve', '-o', join(tmp, 'huge.trace'), script], { timeoutMs: 120_000 });
    expect(result.code).toBe(1);
    const lines = result.stderr.split('\n');
    // Node's own print of the unhandled rejection (the script's stderr) may hold it; async-prof's
    // lines hold at most a cut piece of it.
    expect(lines.filter((l) => l.length > 100_000).length).toBeLessThanOrEqual(1);
    const cut = lines.filter((l) => l.includes('more characters)'));
    expect(cut.length).toBeGreaterThan(0);
    for (const line of cut) expect(line.length).toBeLessThan(1200);
  });
});

describe('numbers on the command line', () => {
  it('one parser: every bad number is one line and exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['run', '--timeout', '', 'x.ts'], /--timeout must be a positive number/],
      [['run', '--blocking-threshold', '-5', 'x.ts'], /--blocking-threshold must be a positive number/],
      [['view', 'x.trace', '--port', '70000'], /port must be an integer from 0 to 65535/],
      [['ci', 'x.ts', '--runs', '1.5'], /--runs must be a whole number ≥ 1/],
      [['ci', 'x.ts', '--max-lag', ' '], /--max-lag must be a number ≥ 0/],
      [['ci', 'x.ts', '--tolerance', 'lots'], /--tolerance must be a percentage such as 20%/],
      [['ci', 'x.ts', '--alpha', '2'], /--alpha must be a number in \(0, 1\]/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.split('\n')[0], args.join(' ')).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('ci: every path and baseline problem before any script runs', () => {
  const ci = (args: string[], cwd = repoRoot) => runCi([markerScript, '--runs', '1', '--max-lag', '1000', ...args], cwd);
  async function runCi(args: string[], cwd: string) {
    rmSync(marker, { force: true });
    const result = await runCli(['ci', ...args], { cwd, env: { MARKER_FILE: marker } });
    return { ...result, ran: existsSync(marker) };
  }

  it('refuses an unwritable --update-baseline, a directory, an empty run list, damaged values and --out-dir under a file', async () => {
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'x');
    const dir = join(tmp, 'a-dir');
    mkdirSync(dir);
    const baseline = (value: unknown) => {
      const path = join(tmp, `baseline-${Math.random().toString(36).slice(2)}.json`);
      writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
      return path;
    };
    const runs = (list: unknown[]) => ({ asyncProfBaseline: 1, scripts: { [markerScript]: { runs: list } } });
    const cases: [string[], RegExp][] = [
      [['--baseline', join(file, 'baseline.json'), '--update-baseline'], /cannot put the baseline under .*a-file: it is not a directory/],
      [['--baseline', dir, '--update-baseline'], /cannot write the baseline to .*a-dir: it is a directory/],
      [['--baseline', dir], /cannot read baseline .*a-dir: EISDIR/],
      [['--baseline', baseline(runs([]))], /baseline .* is damaged: scripts\["test\/fixtures\/faults\/marker-start\.mjs"\]\.runs must not be empty; record it again/],
      [['--baseline', baseline(runs([{ lagP99Ms: 'fast', lagMaxMs: 1, blockingMaxMs: 0, blockingCount: 0, wallMs: 5 }]))], /\.runs\[0\]\.lagP99Ms must be a number/],
      [['--baseline', baseline('{"asyncProfBaseline": 1, "scripts": ')], /is not valid JSON/],
      [['--baseline', baseline({ something: 'else' })], /is not an async-prof baseline/],
      [['--out-dir', join(file, 'reports'), '--reporter', 'json'], /cannot use the directory .*a-file\/reports for the reports: a part of the path is not a directory/],
    ];
    for (const [args, message] of cases) {
      const result = await ci(args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(result.stderr, args.join(' ')).toMatch(message);
      expect(result.ran, `${args.join(' ')}: the script ran`).toBe(false);
    }
  });

  it('reads a config file that starts with a UTF-8 byte order mark', async () => {
    const dir = join(tmp, 'bom');
    mkdirSync(dir);
    writeFileSync(join(dir, 'async-prof.config.json'), `\ufeff${JSON.stringify({ budgets: { maxLag: 1000 }, runs: 1 })}`);
    rmSync(marker, { force: true });
    const result = await runCli(['ci', join(repoRoot, markerScript)], { cwd: dir, env: { MARKER_FILE: marker } });
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(marker)).toBe(true);
  });

  it('a baseline of 200,000 runs: compared without a stack overflow, the lists cut short', async () => {
    const runs = Array.from({ length: 200_000 }, (_, i) => ({ lagP99Ms: 1 + (i % 7) / 10, lagMaxMs: 2, blockingMaxMs: 0, blockingCount: 0, wallMs: 40 + (i % 13) }));
    const path = join(tmp, 'big-baseline.json');
    writeFileSync(path, JSON.stringify({ asyncProfBaseline: 1, scripts: { [markerScript]: { blockingThresholdMs: 50, detectThresholdMs: 50, runs } } }));
    const result = await ci(['--baseline', path]);
    expect([0, 1, 3], result.stderr).toContain(result.code);
    expect(result.stderr).not.toMatch(/internal error|call stack/);
    expect(result.stdout).toMatch(/baseline: [\d., ]+… \(199,980 more\) ms/);
    expect(result.ran).toBe(true);
  });
});
