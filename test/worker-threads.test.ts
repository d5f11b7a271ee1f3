// Worker threads (issue 18): every worker the program starts is recorded in the same trace, with
// its own tasks, lag and blocking, on the main thread's time axis; the report lists each thread,
// and CPU work left on the main thread gets the hint to move it to a worker.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecordKind } from '../contract/index.js';
import { analysisOf } from '../src/analysis/pipeline.js';
import type { ReportJson } from '../src/report/report-json.js';
import { loadModel } from '../src/trace/load-model.js';
import { foldThreadParts } from '../src/trace/fold-thread-parts.js';
import { readTrace } from '../src/trace/read-trace.js';
import { lastJsonLine, runCli } from './helpers/cli.js';
import { repoRoot } from './helpers/run-sample.js';

const tmp = mkdtempSync(join(tmpdir(), 'async-prof-threads-'));
const pool = join('test', 'fixtures', 'threads', 'pool.mjs');
const work = 'test/fixtures/threads/cpu-work.mjs';

function lineOf(file: string, text: string): number {
  const index = readFileSync(join(repoRoot, file), 'utf8').split('\n').findIndex((l) => l.includes(text));
  if (index < 0) throw new Error(`${text} not in ${file}`);
  return index + 1;
}

async function run(name: string, script: string, args: string[], flags: string[] = []) {
  const out = join(tmp, `${name}.trace`);
  const result = await runCli(['run', '--no-serve', '--json', ...flags, '--out', out, script, ...args], { cwd: repoRoot, timeoutMs: 60_000 });
  expect(result.code, result.stderr).toBe(0);
  return { report: lastJsonLine<ReportJson>(result.stdout), out, stdout: result.stdout };
}

// Real CPU work on 2 shared cores: a main thread preempted for 50 ms looks like blocking. One
// retry absorbs that; a real fault fails twice.
describe('a pool of four worker threads doing CPU work', { retry: 1, timeout: 120_000 }, () => {
  it('gets four worker threads, each blocking in the worker code at its line, and no blocking on the main thread', async () => {
    const { report, out } = await run('pool-workers', pool, ['workers']);
    const crunchLine = lineOf(work, 'for (let i = 0;');
    expect(report.threads?.map((t) => t.name)).toEqual(['main', ...report.threads!.slice(1).map((t) => `worker ${t.threadId}`)]);
    const workers = report.threads!.filter((t) => t.threadId !== 0);
    expect(workers).toHaveLength(4);
    for (const w of workers) {
      // Two 120 ms jobs each: the worker's loop is held by them (one stretch or two).
      expect(w.tasks).toBe(4);
      expect(w.blocking.length).toBeGreaterThan(0);
      for (const b of w.blocking) expect({ function: b.function, file: b.file, line: b.line }).toEqual({ function: 'crunch', file: work, line: crunchLine });
      expect(w.blockingMs).toBeGreaterThan(200);
      expect(w.elu).toBeGreaterThan(0.3);
    }
    // The main loop only waited for answers.
    expect(report.blocking).toEqual([]);
    expect(report.threads![0]!.blocking).toEqual([]);
    expect(report.hints.map((h) => h.name)).not.toContain('cpu-work-on-main-thread');
    // The parts were folded into the one trace.
    expect(readdirSync(tmp).filter((f) => f.startsWith(`${basename(out)}.thread-`))).toEqual([]);

    // One time axis: each worker's jobs lie inside the main task that waited for them, and the
    // main task resumed just after the last answer came back.
    const model = loadModel(out);
    expect(model.threads).toHaveLength(4);
    // Sampled every 4 ms in the workers by default, every 1 ms on the main thread.
    expect([model.samplingIntervalUs, ...model.threads.map((w) => w.samplingIntervalUs)]).toEqual([1000, 4000, 4000, 4000, 4000]);
    const T = model.columns.tasks;
    const inPool = [...Array(T.count).keys()].find((t) => model.functions.name[T.fn[t]!] === 'inPool')!;
    const lastAnswer = Math.max(
      ...model.threads.flatMap((w) => {
        const W = w.columns.tasks;
        return [...Array(W.count).keys()].filter((t) => w.functions.name[W.fn[t]!] === 'solve').map((t) => W.end[t]!);
      }),
    );
    for (const w of model.threads) {
      const W = w.columns.tasks;
      for (let t = 0; t < W.count; t++) {
        expect(W.start[t]!).toBeGreaterThan(T.start[inPool]!);
        expect(w.functions.file[W.fn[t]!]).toMatch(/^test\/fixtures\/threads\/cpu-(work|worker)\.mjs$/);
      }
      expect(analysisOf(w).blocking.length).toBeGreaterThan(0);
    }
    // The main task's wait on the answers (line of the Promise.all) ended after the last one.
    const S = model.columns.segments;
    const allAnswers = lineOf(pool, 'const answers = await Promise.all(');
    const waitEnd = [...Array(T.segOff[inPool + 1]! - T.segOff[inPool]!).keys()].map((k) => T.segOff[inPool]! + k).find((s) => S.line[s] === allAnswers && S.kind[s] === 1);
    expect(waitEnd).toBeDefined();
    const resumed = S.end[waitEnd!]!;
    // Within 1 ms of clock agreement, plus the message's way back on a loaded machine.
    expect(resumed).toBeGreaterThan(lastAnswer - 1);
    expect(resumed - lastAnswer).toBeLessThan(100);
  });

  it('sixteen jobs for four busy workers: the pool is saturated while the main thread waits, named at the job function', async () => {
    const { report } = await run('pool-saturated', pool, ['workers', '16']);
    const saturated = report.hints.find((h) => h.name === 'pool-saturated');
    expect(saturated, JSON.stringify(report.hints)).toBeDefined();
    expect([saturated!.file, saturated!.line]).toEqual([work, lineOf(work, 'export async function solve')]);
    expect(saturated!.message).toMatch(/all 4 worker threads were busy for [\d.]+ m?s of the [\d.]+ m?s the main thread waited/);
    expect(report.hints.map((h) => h.name)).not.toContain('cpu-work-on-main-thread');
  });

  it('a pool whose jobs only wait is not saturated, and its main thread does not block', async () => {
    const { report, out } = await run('pool-sleep', pool, ['sleep'], ['--worker-sampling-interval', '2']);
    const model = loadModel(out);
    expect([model.samplingIntervalUs, ...model.threads.map((w) => w.samplingIntervalUs)]).toEqual([1000, 2000, 2000, 2000, 2000]);
    // A coarser main interval holds in the workers too (the larger of the two).
    const coarse = loadModel((await run('pool-sleep-coarse', pool, ['sleep'], ['--sampling-interval', '8'])).out);
    expect([coarse.samplingIntervalUs, ...coarse.threads.map((w) => w.samplingIntervalUs)]).toEqual([8000, 8000, 8000, 8000, 8000]);
    expect(report.threads?.filter((t) => t.threadId !== 0)).toHaveLength(4);
    expect(report.hints.map((h) => h.name)).not.toContain('pool-saturated');
    expect(report.blocking).toEqual([]);
  });

  it('the same work on the main thread blocks it there, with the hint to move it to a worker', async () => {
    const { report } = await run('pool-main', pool, ['main']);
    const crunchLine = lineOf(work, 'for (let i = 0;');
    expect(report.threads).toBeUndefined();
    expect(report.blocking.length).toBeGreaterThan(0);
    expect(report.blocking.map((b) => [b.function, b.file, b.line])).toContainEqual(['crunch', work, crunchLine]);
    const hint = report.hints.find((h) => h.name === 'cpu-work-on-main-thread');
    expect(hint, JSON.stringify(report.hints)).toBeDefined();
    expect([hint!.file, hint!.line]).toEqual([work, crunchLine]);
    expect(hint!.message).toMatch(/worker thread/);
  });

  it('--no-workers records the main thread only, and the program runs the same', async () => {
    const { report, out, stdout } = await run('pool-no-workers', pool, ['workers'], ['--no-workers']);
    expect(stdout).toContain('8 jobs done (workers)');
    expect(report.threads).toBeUndefined();
    expect(readTrace(out).threads).toBeUndefined();
  });
});

describe('a piscina pool started with an execArgv of its own', { retry: 1, timeout: 120_000 }, () => {
  it('records each pool thread, with its blocking in the task code', async () => {
    const { report, stdout } = await run('piscina', join('test', 'fixtures', 'threads', 'piscina-pool.mjs'), []);
    expect(stdout).toContain('8 jobs, at most 8 in flight');
    const workers = report.threads!.filter((t) => t.threadId !== 0);
    expect(workers).toHaveLength(4);
    // Piscina hands the eight jobs to its threads as they free up: all of them ran somewhere.
    expect(workers.reduce((sum, w) => sum + w.tasks, 0)).toBe(8);
    const crunchLine = lineOf(work, 'for (let i = 0;');
    const stretches = workers.flatMap((w) => w.blocking);
    expect(stretches.length).toBeGreaterThan(0);
    for (const b of stretches) expect([b.function, b.file, b.line]).toEqual(['crunch', work, crunchLine]);
    expect(report.blocking).toEqual([]);
  });
});

describe('ci budgets per thread', { retry: 1, timeout: 120_000 }, () => {
  it('--max-blocking is the main thread\'s; --max-worker-blocking fails on a worker\'s stretch', async () => {
    const mainOnly = await runCli(['ci', pool, '--runs', '1', '--max-blocking', '50'], { cwd: repoRoot, timeoutMs: 60_000 });
    expect(mainOnly.code, mainOnly.stdout + mainOnly.stderr).toBe(0);
    const withWorkers = await runCli(['ci', pool, '--runs', '1', '--max-blocking', '50', '--max-worker-blocking', '100'], { cwd: repoRoot, timeoutMs: 60_000 });
    expect(withWorkers.code).toBe(1);
    expect(withWorkers.stdout).toMatch(/longest blocking in a worker thread \d+ ms is over the budget of 100 ms/);
    expect(withWorkers.stdout).toMatch(/✓ longest blocking +expected ≤ 50 ms, found 0 ms/);
  });
});

describe('the "blocking work in a thread" sample', { retry: 1, timeout: 120_000 }, () => {
  it('blocks the main loop in checksum first, then each of four worker threads', async () => {
    const { report, stdout } = await run('sample-threads', 'samples/blocking-work-in-a-thread.ts', []);
    expect(stdout).toMatch(/main loop: .* at most 1 job\(s\) in flight/);
    expect(stdout).toMatch(/worker pool: .* at most 4 job\(s\) in flight/);
    expect(stdout).toContain('same results: true');
    const line = lineOf('samples/lib/checksum.mjs', 'for (let i = 0;');
    expect(report.blocking.map((b) => [b.function, b.file, b.line])).toContainEqual(['checksum', 'samples/lib/checksum.mjs', line]);
    expect(report.hints.find((h) => h.name === 'cpu-work-on-main-thread')?.line).toBe(line);
    const workers = report.threads!.filter((t) => t.threadId !== 0);
    expect(workers).toHaveLength(4);
    for (const w of workers) expect(w.blocking.map((b) => [b.function, b.line])).toContainEqual(['checksum', line]);
  });
});

describe('a worker given its own env and argv', { timeout: 60_000 }, () => {
  it('sees what it sees bare, and is recorded', async () => {
    const script = join('test', 'fixtures', 'threads', 'own-env-worker.mjs');
    const bare = spawnSync(process.execPath, [script], { cwd: repoRoot, encoding: 'utf8' });
    expect(bare.status).toBe(0);
    const { out, stdout } = await run('own-env', script, []);
    expect(stdout.split('\n')[0]).toBe(bare.stdout.split('\n')[0]);
    const raw = readTrace(out);
    expect(raw.threads).toHaveLength(1);
    const model = loadModel(out);
    expect(model.threads[0]!.tasks.map((t) => t.name)).toContain('report');
  });
});

describe('a worker that is terminated', { timeout: 60_000 }, () => {
  it('keeps what it recorded up to its last write', async () => {
    const { out, stdout } = await run('terminated', join('test', 'fixtures', 'threads', 'terminated.mjs'), []);
    expect(stdout).toContain('terminated');
    const model = loadModel(out);
    expect(model.threads).toHaveLength(1);
    const ticks = model.threads[0]!.tasks.filter((t) => t.name === 'tick');
    // About 300 ms of 10 ms ticks (fewer on a loaded machine).
    expect(ticks.length).toBeGreaterThan(3);
    // A terminated worker writes no End: that is its normal end, not a damaged trace.
    expect(model.warnings.join('\n')).not.toMatch(/did not finish writing/);
    expect(model.threads[0]!.warnings.join('\n')).not.toMatch(/did not finish writing/);
  });
});

describe('thread parts', { timeout: 60_000 }, () => {
  it('a part left next to a trace is a warning, and folding it in makes it a thread of the trace', async () => {
    const { out } = await run('parts', join('test', 'fixtures', 'threads', 'own-env-worker.mjs'), [], ['--no-workers']);
    expect(readTrace(out).threads).toBeUndefined();
    // A worker's part as a stopped CLI would leave it: here, a whole trace of its own.
    const { out: other } = await run('parts-other', join('test', 'fixtures', 'threads', 'own-env-worker.mjs'), [], ['--no-workers']);
    copyFileSync(other, `${out}.thread-99`);
    expect(readTrace(out).warnings.join('\n')).toMatch(/1 worker thread part was not folded into the trace \(thread 99\)/);
    expect(foldThreadParts(out)).toBeNull();
    expect(existsSync(`${out}.thread-99`)).toBe(false);
    const raw = readTrace(out);
    expect(raw.warnings.join('\n')).not.toMatch(/not folded/);
    expect(raw.threads?.map((t) => t.meta.threadId)).toEqual([99]);
    expect(raw.threads![0]!.modules.map((m) => basename(m.file))).toEqual(['own-env-worker.mjs']);
  });
});

describe('Thread records', () => {
  it('is a record kind of its own, after the ones older readers know', () => {
    const kinds = Object.values(RecordKind);
    expect(new Set(kinds).size, 'every kind has its own number').toBe(kinds.length);
    for (const added of [RecordKind.Window, RecordKind.Thread, RecordKind.Process]) expect(added).toBeGreaterThan(RecordKind.Sched);
  });
});
