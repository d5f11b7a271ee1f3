// The flight recorder (issue 17): `run --keep` on a real "server" script (a request every 10 ms),
// real child processes, real files. Disk stays bounded while it runs, `snapshot <pid>` and
// SIGUSR2 to the CLI write the window as a trace that `report` reads, the run's own trace is the
// last window, and a SIGUSR2 sent to the script does what it does bare.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReportJson } from '../src/report/report-json.js';
import { cliPath, runCli } from './helpers/cli.js';
import { repoRoot } from './helpers/run-sample.js';

const script = join('test', 'fixtures', 'flight', 'ticker.ts');

interface Started {
  child: ChildProcess;
  stderr: () => string;
  stdout: () => string;
  cliPid: number;
  scriptPid: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `run --keep ...` and waits for its line naming both pids. */
function startRun(args: string[], env: NodeJS.ProcessEnv): Promise<Started> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, 'run', ...args], { cwd: repoRoot, env: { ...process.env, BROWSER: 'none', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('close', (code, signal) => done({ code, signal })));
    const timer = setTimeout(() => reject(new Error(`no flight recorder line: ${stderr}`)), 20_000);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      const m = /snapshot: async-prof snapshot (\d+) \(or (\d+)\), or kill -USR2 (\d+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve({ child, stderr: () => stderr, stdout: () => stdout, cliPid: Number(m[1]), scriptPid: Number(m[2]), exited });
      }
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function bytesOnDisk(trace: string): number {
  let total = existsSync(trace) ? statSync(trace).size : 0;
  const dir = `${trace}.window`;
  if (existsSync(dir)) for (const name of readdirSync(dir)) total += statSync(join(dir, name), { throwIfNoEntry: false })?.size ?? 0;
  return total;
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

async function reportOf(trace: string): Promise<ReportJson> {
  const result = await runCli(['report', '--json', trace]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as ReportJson;
}

describe('run --keep: a flight recorder', () => {
  it('keeps disk bounded, writes snapshots of the last window on `snapshot <pid>` and SIGUSR2 to the CLI, and ends with the window as the trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'async-prof-flight-'));
    const trace = join(dir, 'server.trace');
    const run = await startRun(['--keep', '2s', '--no-serve', '--json', '--out', trace, script], { RUN_SECONDS: '9' });
    const started = performance.now();
    const samples: { atS: number; bytes: number; rssMb: number }[] = [];
    let snapshotAt = 0;
    const snapshotByPid = join(dir, 'by-pid.trace');
    let signalled = false;
    while (performance.now() - started < 8000) {
      samples.push({ atS: (performance.now() - started) / 1000, bytes: bytesOnDisk(trace), rssMb: rssMb(run.scriptPid) });
      if (!snapshotAt && performance.now() - started > 5000) {
        snapshotAt = Date.now();
        const result = await runCli(['snapshot', String(run.scriptPid), '-o', snapshotByPid]);
        expect(result.code, result.stderr).toBe(0);
        expect(result.stdout.trim()).toBe(snapshotByPid);
      }
      if (!signalled && performance.now() - started > 6000) {
        signalled = true;
        process.kill(run.cliPid, 'SIGUSR2');
      }
      await sleep(250);
    }
    const { code } = await run.exited;
    expect(code, run.stderr()).toBe(0);
    console.log(`flight recorder, --keep 2s, a request every 10 ms: on disk over time (s: kB, script RSS MB)\n${samples.map((s) => `  ${s.atS.toFixed(1)} s: ${(s.bytes / 1024).toFixed(0)} kB, ${s.rssMb.toFixed(0)} MB`).join('\n')}`);

    // The run's own trace is the last window: a few seconds of requests, not all nine.
    const final = JSON.parse(run.stdout().trim().split('\n').at(-1)!) as ReportJson;
    const handled = Number(/handled (\d+)/.exec(run.stdout())?.[1]);
    expect(handled).toBeGreaterThan(300);
    const finalCalls = final.handlers.find((h) => h.name === 'handle')!.count;
    expect(finalCalls).toBeGreaterThan(50);
    expect(finalCalls).toBeLessThan(handled * 0.6);
    expect(final.warnings.some((w) => w.includes("flight recorder's window"))).toBe(true);
    expect(final.exitCode).toBe(0);
    expect(Math.min(...final.tasks.map((t) => t.startMs))).toBeGreaterThan(final.wallMs - 3200);
    expect(existsSync(`${trace}.window`)).toBe(false);

    // Bounded: never more on disk than about twice the window the run ended with (an unbounded
    // trace would have grown to three or four times that by the end).
    const windowBytes = statSync(trace).size;
    const late = samples.filter((s) => s.atS > 3);
    expect(Math.max(...late.map((s) => s.bytes))).toBeLessThan(2 * windowBytes);
    const early = samples.find((s) => s.atS > 3)!.rssMb;
    expect(Math.max(...late.map((s) => s.rssMb).filter((v) => Number.isFinite(v)))).toBeLessThan(early * 1.5);

    // The snapshot taken by pid: the last 2 to 3 s before it, readable by report; the process was running.
    const snapshot = await reportOf(snapshotByPid);
    const calls = snapshot.handlers.find((h) => h.name === 'handle')!.count;
    expect(calls).toBeGreaterThan(50);
    expect(calls).toBeLessThan(400);
    expect(snapshot.warnings.some((w) => w.includes('a snapshot taken at') && w.includes('while the process was running'))).toBe(true);
    expect(snapshot.warnings.some((w) => w.includes('missing') || w.includes('duplicate'))).toBe(false);
    const starts = snapshot.tasks.map((t) => t.startMs);
    expect(Math.max(...starts) - Math.min(...starts)).toBeLessThan(3200);
    expect(Math.max(...starts) - Math.min(...starts)).toBeGreaterThan(1500);

    // SIGUSR2 to the CLI: a snapshot, named on stderr.
    const written = /snapshot of the last 2\.00 s: (.+\.trace)/.exec(run.stderr())?.[1];
    expect(written, run.stderr()).toBeDefined();
    const bySignal = await reportOf(written!);
    expect(bySignal.handlers.find((h) => h.name === 'handle')!.count).toBeGreaterThan(50);
  }, 60_000);

  it('a pid without a flight recorder is one line and exit 2', async () => {
    const result = await runCli(['snapshot', String(process.pid)]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`no flight recorder runs as pid ${process.pid}`);
  });

  it('SIGUSR2 sent to the script ends it as it ends the script bare (the profiler adds no handler)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'async-prof-flight-'));
    const run = await startRun(['--keep', '2s', '--no-serve', '--json', '--out', join(dir, 'usr2.trace'), script], { RUN_SECONDS: '20' });
    // Once the script runs its own code (its first line prints its pid), as for the bare run below.
    await expect.poll(() => run.stdout().includes(`pid ${run.scriptPid}`), { timeout: 20_000 }).toBe(true);
    await sleep(300);
    process.kill(run.scriptPid, 'SIGUSR2');
    const profiled = await run.exited;
    expect(run.stdout().trim().split('\n').at(-1), run.stderr()).toMatch(/^\{/);
    const report = JSON.parse(run.stdout().trim().split('\n').at(-1)!) as ReportJson;

    const bare = spawn(process.execPath, ['--import', 'tsx', script], { cwd: repoRoot, env: { ...process.env, RUN_SECONDS: '20' }, stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve) => bare.stdout!.once('data', () => resolve()));
    await sleep(300);
    bare.kill('SIGUSR2');
    const bareEnd = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => bare.on('close', (c, s) => resolve({ code: c, signal: s })));

    expect(bareEnd.signal).toBe('SIGUSR2');
    expect(report.signal).toBe(bareEnd.signal);
    expect(profiled.code).toBe(128 + 12);
  }, 60_000);
});
