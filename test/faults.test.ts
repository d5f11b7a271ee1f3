// The profiler's failures never become the program's (issue 20), with real processes, files,
// mounts and signals: the script's exit code and stdout are what they are bare, async-prof says
// what it could not do in one line, and the trace holds what was recorded up to the failure.
// Bare runs use plain `node` on .mjs fixtures (no TypeScript loader to tell apart).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportJson } from '../src/report/report-json.js';
import { exitCodeOf } from '../src/run/exit-code.js';
import { cliPath, runCli } from './helpers/cli.js';
import { repoRoot } from './helpers/run-sample.js';

const fixture = (name: string) => join('test', 'fixtures', 'faults', name);
const tmp = mkdtempSync(join(tmpdir(), 'async-prof-faults-'));
const mounts: string[] = [];

afterAll(() => {
  for (const dir of mounts.reverse()) spawnSync('umount', [dir]);
  rmSync(tmp, { recursive: true, force: true });
});

/** A tmpfs of `options` at a fresh directory, or null where this process may not mount. */
function mountTmpfs(name: string, options: string): string | null {
  const dir = join(tmp, name);
  mkdirSync(dir);
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { encoding: 'utf8' });
  if (result.status !== 0) return null;
  mounts.push(dir);
  return dir;
}

function bare(script: string, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [script], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: exitCodeOf(result.status, result.signal), stdout: result.stdout };
}

/** async-prof's own lines on stderr (the script's stderr is its own). */
const ownLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('async-prof:'));

async function reportOf(trace: string): Promise<ReportJson> {
  const report = await runCli(['report', '--json', trace]);
  expect(report.code, report.stderr).toBe(0);
  return JSON.parse(report.stdout) as ReportJson;
}

describe('the profiled program behaves as it does bare', () => {
  it('the trace\'s disk fills up: same exit code and output, one line, the trace readable up to there', async () => {
    const script = fixture('many-tasks.mjs');
    const plain = bare(script);
    expect(plain.code).toBe(0);
    const disk = mountTmpfs('full', 'size=1m');
    let result;
    let trace: string;
    if (disk) {
      trace = join(disk, 'run.trace');
      result = await runCli(['run', '--no-serve', '--quiet', '-o', trace, script]);
    } else {
      // No mount rights: a file-size limit (1 MiB) stands in for the full disk.
      trace = join(tmp, 'limited.trace');
      const shell = spawnSync('bash', ['-c', `ulimit -f 1024 && exec "${process.execPath}" "${cliPath}" run --no-serve --quiet -o "${trace}" "${script}"`], { cwd: repoRoot, encoding: 'utf8' });
      result = { code: shell.status, stdout: shell.stdout, stderr: shell.stderr };
    }
    expect(result.code, result.stderr).toBe(plain.code);
    expect(result.stdout).toBe(plain.stdout);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(ownLines(result.stderr), result.stderr).toHaveLength(1);
    if (disk) expect(result.stderr).toMatch(/the trace stops early: the disk holding it is full/);
    const report = await reportOf(trace);
    expect(report.tasks.length).toBeGreaterThan(100);
    expect(report.tasks.length).toBeLessThan(10_000);
  });

  // Needs the preload to guard its own error handler (the lead's in-process work): fails today
  // with exit 7 and an empty trace.
  it('an uncaught error whose message getter throws: exit 1 as bare, and a readable trace', async () => {
    const script = fixture('throwing-message.mjs');
    const plain = bare(script);
    expect(plain.code).toBe(1);
    const trace = join(tmp, 'throwing.trace');
    const result = await runCli(['run', '--no-serve', '--quiet', '-o', trace, script]);
    expect(result.code, result.stderr).toBe(plain.code);
    expect(result.stdout).toBe(plain.stdout);
    expect(ownLines(result.stderr).length, result.stderr).toBeLessThanOrEqual(1);
    const report = await reportOf(trace);
    expect(report.complete).toBe(true);
    expect(report.errors).toHaveLength(1);
  });

  // Needs the profiler's own references to performance, Date, timers and Promise taken before
  // the script runs (the lead's in-process work): today the lag probe reads the script's
  // performance.now and every lag is 0.
  it('a script that replaces performance, Date, setTimeout and Promise: same exit and output, and the lag probe still measures', async () => {
    const script = fixture('replaced-globals.mjs');
    const plain = bare(script);
    expect(plain.code).toBe(0);
    const trace = join(tmp, 'globals.trace');
    const result = await runCli(['run', '--no-serve', '--quiet', '-o', trace, script]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(plain.stdout);
    expect(ownLines(result.stderr), result.stderr).toEqual([]);
    const report = await reportOf(trace);
    expect(report.tasks.filter((t) => t.name === 'work')).toHaveLength(20);
    // The script held the loop for 80 ms once.
    expect(report.lag.maxMs).toBeGreaterThanOrEqual(40);
    expect(report.lag.maxMs).toBeLessThan(10_000);
    expect(report.lag.p50Ms).toBeGreaterThanOrEqual(0);
    expect(report.wallMs).toBeGreaterThan(100);
    expect(report.wallMs).toBeLessThan(60_000);
  });
});

describe('-o is checked before the script starts', () => {
  const cases: [string, () => string | null, RegExp][] = [
    ['a directory', () => tmp, /-o .* is a directory/],
    ['/dev/full', () => '/dev/full', /is not a regular file/],
    ['a path under /proc', () => '/proc/async-prof-test/run.trace', /cannot create the directory \/proc\/async-prof-test/],
    ['a read-only mount', () => {
      const dir = mountTmpfs('read-only', 'ro,size=64k');
      return dir ? join(dir, 'run.trace') : null;
    }, /read-only file system/],
    ['a dangling symbolic link', () => {
      const link = join(tmp, 'dangling.trace');
      spawnSync('ln', ['-s', join(tmp, 'no', 'such', 'place.trace'), link]);
      return link;
    }, /is a symbolic link to .* that points nowhere/],
  ];
  for (const [what, target, message] of cases) {
    it(`${what}: exit 2, one line, the script never ran`, async (context) => {
      const out = target();
      if (out === null) return context.skip('this process may not mount a file system');
      const marker = join(tmp, `marker-${what.replace(/\W+/g, '-')}`);
      const result = await runCli(['run', '--no-serve', '-o', out, fixture('marker-start.mjs')], { env: { MARKER_FILE: marker }, timeoutMs: 20_000 });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr.trim().split('\n'), result.stderr).toHaveLength(1);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
      expect(existsSync(marker)).toBe(false);
    });
  }
});

describe('signals and pipes', () => {
  it('SIGHUP to the CLI (the terminal closes) reaches the script: it ends as it would bare, and the trace is whole', async () => {
    const trace = join(tmp, 'hangup.trace');
    const child = spawn(process.execPath, [cliPath, 'run', '--quiet', '-o', trace, fixture('hang-up.mjs')], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const scriptPid = await new Promise<number>((resolve) => {
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
        const match = /started (\d+)/.exec(stdout);
        if (match) resolve(Number(match[1]));
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // A signal ends the script where it stands: the events of its last few milliseconds may be
    // unwritten (docs/trace-format.md). Its first task is older than that.
    await new Promise((resolve) => setTimeout(resolve, 200));
    child.kill('SIGHUP');
    const code = await Promise.race([exited, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 15_000))]);
    if (code === 'hung') child.kill('SIGKILL');
    // Bare, SIGHUP ends the script: 128 + 1. No timeline is served afterwards (no one is there).
    expect(code, stderr).toBe(129);
    expect(stdout).toBe(`started ${scriptPid}\n`);
    expect(() => process.kill(scriptPid, 0)).toThrow();
    expect(ownLines(stderr)).toEqual([]);
    const report = await reportOf(trace);
    expect(report.signal).toBe('SIGHUP');
    expect(report.complete).toBe(true);
  });

  describe('output', () => {
    let big: string;
    beforeAll(async () => {
      big = join(tmp, 'big.trace');
      const run = await runCli(['run', '--no-serve', '--quiet', '-o', big, fixture('many-tasks.mjs')]);
      expect(run.code, run.stderr).toBe(0);
    });

    it('report --json | head -1: the closed pipe ends the output quietly, exit 0', () => {
      const result = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${cliPath}" report --json "${big}" | head -c 100 >/dev/null`], { cwd: repoRoot, encoding: 'utf8' });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const text = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${cliPath}" report "${big}" | head -1`], { cwd: repoRoot, encoding: 'utf8' });
      expect(text.stderr).toBe('');
      expect(text.status).toBe(0);
      expect(text.stdout).toMatch(/^async-prof .*many-tasks\.mjs/);
    });

    it('stdout on a full device: one line, exit 2', () => {
      const result = spawnSync('bash', ['-c', `"${process.execPath}" "${cliPath}" report --json "${big}" > /dev/full`], { cwd: repoRoot, encoding: 'utf8' });
      expect(result.status).toBe(2);
      expect(result.stderr.trim().split('\n')).toEqual(['async-prof: cannot write to standard output: ENOSPC (no space left on device)']);
    });
  });
});
