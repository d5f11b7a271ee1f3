// Acceptance of the core (issue 2): `async-prof run` on real scripts, as child processes.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../src/trace/load-model.js';
import { readTrace } from '../src/trace/read-trace.js';
import type { ReportJson } from '../src/report/report-json.js';
import { lastJsonLine, programStderr, runCli } from './helpers/cli.js';
import { repoRoot } from './helpers/run-sample.js';

const fixture = (name: string) => join('test', 'fixtures', 'core', name);
const tmp = mkdtempSync(join(tmpdir(), 'async-prof-core-'));
const tracePath = (name: string) => join(tmp, `${name}.trace`);

/** 1-based line of the first line of `file` that contains `text`. */
function lineOf(file: string, text: string): number {
  const index = readFileSync(join(repoRoot, file), 'utf8').split('\n').findIndex((l) => l.includes(text));
  if (index < 0) throw new Error(`${text} not in ${file}`);
  return index + 1;
}

async function run(
  script: string,
  name: string,
  scriptArgs: string[] = [],
  env: NodeJS.ProcessEnv = {},
  onStdout?: (stdout: string) => void,
) {
  const out = tracePath(name);
  const result = await runCli(['run', '--no-serve', '--json', '--out', out, script, ...scriptArgs], { env, onStdout });
  return { ...result, out };
}

// Real timings and real sampling: on a loaded machine a preempted main thread can look like a
// blocking stretch (see the note on issue 2). One retry absorbs that; a real fault fails twice.
describe('download manager (scaled 0.1)', { retry: 1 }, () => {
  it('records the ten downloads, their waits and the two phases', async () => {
    const file = 'samples/download-manager.ts';
    const result = await run(file, 'download-manager', [], { SAMPLE_TIME_SCALE: '0.1' });
    expect(result.code, result.stderr).toBe(0);
    const report = lastJsonLine<ReportJson>(result.stdout);
    const downloads = report.tasks.filter((t) => t.name === 'downloadFile');
    expect(downloads).toHaveLength(10);
    const fnLine = lineOf(file, 'async function downloadFile');
    const fetchLine = lineOf(file, 'await fetch(');
    const sizes = [500, 50, 10, 5, 300, 500, 50, 10, 5, 300];
    // What the sample itself printed for each download, in course seconds.
    const printed = [...result.stdout.matchAll(/✓ (\S+) downloaded in ([\d.]+)s/g)].map((m) => Number(m[2]));
    expect(printed).toHaveLength(10);
    for (const [i, task] of downloads.entries()) {
      expect(task.line).toBe(fnLine);
      expect(task.file).toBe(file);
      const duration = task.endMs! - task.startMs;
      // Against the seed's figure (size / 100 MB/s, scaled): the sample's HTTP pacing adds a few
      // ms, and a loaded machine (CI runs test files side by side on 2 cores) has made a 10 ms
      // download take 52 ms. What the task really took is checked tightly below, against the
      // sample's own stopwatch.
      expect(duration).toBeGreaterThan(sizes[i]! - 5);
      expect(duration).toBeLessThan(sizes[i]! * 1.1 + 100);
      expect(task.segments.some((s) => s.kind === 'wait' && s.line === fetchLine)).toBe(true);
      expect(task.outcome).toBe('fulfilled');
    }
    const printedSorted = [...printed].sort((a, b) => a - b);
    const measuredSorted = downloads.map((t) => (t.endMs! - t.startMs) / 100).sort((a, b) => a - b);
    // The task also spans the two console.log calls around the sample's stopwatch: a few ms.
    for (let i = 0; i < 10; i++) expect(Math.abs(measuredSorted[i]! - printedSorted[i]!)).toBeLessThan(0.1);

    const sequential = report.tasks.find((t) => t.name === 'sequentialDownload')!;
    const parallel = report.tasks.find((t) => t.name === 'parallelDownload')!;
    const seqMs = sequential.endMs! - sequential.startMs;
    const parMs = parallel.endMs! - parallel.startMs;
    // Against the seed's figures (8.65 s and 5.0 s, scaled), with room for a loaded machine...
    expect(seqMs).toBeGreaterThan(865 * 0.97);
    expect(seqMs).toBeLessThan(865 * 1.1 + 150);
    expect(parMs).toBeGreaterThan(500 * 0.97);
    expect(parMs).toBeLessThan(500 * 1.1 + 100);
    // ...and tightly against the sample's own stopwatch (course seconds; 1 course s = 100 ms here).
    const printedSeq = Number(/Sequential: ([\d.]+) seconds/.exec(result.stdout)?.[1]) * 100;
    const printedPar = Number(/Parallel: ([\d.]+) seconds/.exec(result.stdout)?.[1]) * 100;
    expect(Math.abs(seqMs - printedSeq)).toBeLessThan(15);
    expect(Math.abs(parMs - printedPar)).toBeLessThan(15);
    // Children of the sequential phase never overlap; those of the parallel phase all do.
    const seqChildren = downloads.filter((t) => t.parentId === sequential.id).sort((a, b) => a.startMs - b.startMs);
    const parChildren = downloads.filter((t) => t.parentId === parallel.id);
    expect(seqChildren).toHaveLength(5);
    expect(parChildren).toHaveLength(5);
    for (let i = 1; i < 5; i++) expect(seqChildren[i]!.startMs).toBeGreaterThanOrEqual(seqChildren[i - 1]!.endMs!);
    const lastStart = Math.max(...parChildren.map((t) => t.startMs));
    const firstEnd = Math.min(...parChildren.map((t) => t.endMs!));
    expect(lastStart).toBeLessThan(firstEnd);
    // The downloads never block the loop. Node's own one-time HTTP set-up (loading undici,
    // compiling llhttp's WebAssembly: ~35 ms idle, more on a loaded machine) may: such a stretch
    // names the frame inside Node where the time went.
    // Node's first HTTP request and reply run cold (undici's lazy set-up, llhttp's WebAssembly):
    // that happens in the sample's warm-up, before the first download starts.
    const firstDownload = Math.min(...downloads.map((t) => t.startMs));
    for (const block of report.blocking) {
      expect(['downloadFile', 'sequentialDownload', 'parallelDownload']).not.toContain(block.function);
      expect(block.startMs, JSON.stringify(block)).toBeLessThan(firstDownload);
    }
    expect(report.concurrency.maxTasks).toBeGreaterThanOrEqual(6);
  });
});

describe('blocking', () => {
  it('finds the one 120 ms busy loop, names its function and line, and its task', async () => {
    const file = fixture('busy-method.ts');
    const result = await run(file, 'busy');
    expect(result.code, result.stderr).toBe(0);
    const report = lastJsonLine<ReportJson>(result.stdout);
    expect(report.blocking).toHaveLength(1);
    const [block] = report.blocking;
    expect(block!.durationMs).toBeGreaterThanOrEqual(100);
    expect(block!.durationMs).toBeLessThan(160);
    expect(block!.function).toBe('spin');
    expect(block!.file).toBe(file);
    const spinStart = lineOf(file, 'function spin');
    expect(block!.line).toBeGreaterThanOrEqual(spinStart);
    expect(block!.line).toBeLessThanOrEqual(spinStart + 6);
    const task = report.tasks.find((t) => t.id === block!.taskId);
    expect(task?.name).toBe('Worker.crunch');
    expect(block!.stack.some((f) => f.function === 'crunch')).toBe(true);
    // One long call, not a chain of awaits.
    expect(block!.awaitChain).toBe(false);
    expect(block!.longestRunMs).toBeGreaterThanOrEqual(100);
    expect(report.lag.maxMs).toBeGreaterThanOrEqual(100);
    // 120 ms of busy loop in a run of about 200 ms.
    expect(report.elu).toBeGreaterThan(0.3);
  });

  it('tells a chain of awaits that never wait from one long call, and says what to do', async () => {
    const file = fixture('await-chain.ts');
    const result = await run(file, 'await-chain');
    expect(result.code, result.stderr).toBe(0);
    const report = lastJsonLine<ReportJson>(result.stdout);
    // The whole chain holds the loop: one stretch, made of hundreds of thousands of resumes.
    const chains = report.blocking.filter((b) => b.awaitChain);
    expect(chains, JSON.stringify(report.blocking.map(({ stack, ...b }) => b))).toHaveLength(1);
    const [chain] = chains;
    expect(chain!.durationMs).toBeGreaterThanOrEqual(50);
    expect(chain!.awaitsResumed).toBeGreaterThan(100_000);
    expect(chain!.awaitsResumed).toBeLessThanOrEqual(500_001);
    expect(chain!.longestRunMs).toBeLessThan(chain!.durationMs / 2);
    expect(['importAll', 'parse']).toContain(chain!.function);
    // Its task is the loop that drove the chain (it resumed 500,000 times), not one of the calls.
    expect(report.tasks.find((t) => t.id === chain!.taskId)?.name).toBe('importAll');
    // The lag probe's timer fired late by the chain.
    expect(report.lag.maxMs).toBeGreaterThanOrEqual(chain!.durationMs * 0.5);
    const hint = report.hints.find((h) => h.kind === 2);
    expect(hint?.message).toContain('awaits resumed one after another');
    expect(hint?.message).toContain('await setImmediate()');

    const text = await runCli(['report', tracePath('await-chain')]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/[\d,]+ awaits resumed back to back, most time in (importAll|parse) /);
    // A loop of 500,000 awaited calls is one entry of the phases line, not 500,000.
    expect(text.stdout).toMatch(/phases +500,000 × parse, one after another \S+ \S+\n/);
  });

  it('many timers expiring together resume many awaits back to back, but that is not a chain', async () => {
    const result = await runCli(['run', '--no-serve', '--json', '--blocking-threshold', '20', '--out', tracePath('timers-together'), fixture('timers-together.ts')]);
    expect(result.code, result.stderr).toBe(0);
    const report = lastJsonLine<ReportJson>(result.stdout);
    const busiest = [...report.blocking].sort((a, b) => b.awaitsResumed - a.awaitsResumed)[0];
    expect(busiest, 'a stretch over 20 ms while 20,000 continuations ran').toBeDefined();
    expect(busiest!.awaitsResumed).toBeGreaterThan(1000);
    // Each resumed await waited for a timer: their callbacks ran in the same stretch.
    expect(busiest!.resourceCallbacks * 2).toBeGreaterThan(busiest!.awaitsResumed);
    expect(report.blocking.every((b) => !b.awaitChain)).toBe(true);
  });

  it('names the hottest function, summed over its call paths', async () => {
    // hash() takes 160 ms from two callers (80 ms each), format() 110 ms from one: counted per
    // call path, format() would look hottest.
    const file = fixture('hot-from-two-callers.ts');
    const result = await run(file, 'two-callers');
    expect(result.code, result.stderr).toBe(0);
    const report = lastJsonLine<ReportJson>(result.stdout);
    expect(report.blocking).toHaveLength(1);
    const [block] = report.blocking;
    expect(block!.durationMs).toBeGreaterThanOrEqual(250);
    expect(block!.function).toBe('hash');
    const hashStart = lineOf(file, 'function hash');
    expect(block!.line).toBeGreaterThan(hashStart);
    expect(block!.line).toBeLessThan(lineOf(file, 'function format'));
    const callers = block!.stack.map((f) => f.function);
    expect(callers.includes('fromCache') || callers.includes('fromDisk'), callers.join(' < ')).toBe(true);
    expect(callers).toContain('load');
    expect(report.tasks.find((t) => t.id === block!.taskId)?.name).toBe('load');
  });

  it('--sampling-interval: 0 turns the profiler off (blocking not measured, and said so); 2 ms still finds the loop', async () => {
    const file = fixture('busy-method.ts');
    const off = await runCli(['run', '--no-serve', '--json', '--sampling-interval', '0', '--out', tracePath('busy-off'), file]);
    expect(off.code, off.stderr).toBe(0);
    const offReport = lastJsonLine<ReportJson>(off.stdout);
    expect(offReport.samplingIntervalMs).toBe(0);
    expect(offReport.blocking).toEqual([]);
    expect(offReport.warnings.join('\n')).toContain('blocking stretches were not measured');
    expect(readTrace(tracePath('busy-off')).profiles).toHaveLength(0);
    // Tasks and lag do not depend on the profiler.
    expect(offReport.tasks.map((t) => t.name)).toContain('Worker.crunch');
    expect(offReport.lag.maxMs).toBeGreaterThanOrEqual(100);

    const coarse = await runCli(['run', '--no-serve', '--json', '--sampling-interval', '2', '--out', tracePath('busy-2ms'), file]);
    expect(coarse.code, coarse.stderr).toBe(0);
    const coarseReport = lastJsonLine<ReportJson>(coarse.stdout);
    expect(coarseReport.samplingIntervalMs).toBe(2);
    expect(coarseReport.blocking).toHaveLength(1);
    expect(coarseReport.blocking[0]!.function).toBe('spin');
    expect(coarseReport.blocking[0]!.durationMs).toBeGreaterThanOrEqual(100);

    const bad = await runCli(['run', '--no-serve', '--sampling-interval', '-1', fixture('names.ts')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')[0]).toContain('--sampling-interval must be 0 (off) or at least 0.1 ms');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const badWorkers = await runCli(['run', '--no-serve', '--worker-sampling-interval', '0.01', fixture('names.ts')]);
    expect(badWorkers.code).toBe(2);
    expect(badWorkers.stderr.trim().split('\n')[0]).toContain('--worker-sampling-interval must be 0 (off) or at least 0.1 ms');
  });

  it('stamps no event before time zero, even when the clock thread lags behind', async () => {
    // 50 ms clock ticks: the clock word is up to 50 ms old when the script starts, which a loaded
    // machine does to the 0.2 ms default now and then (a task then started "before" the run).
    const result = await run(fixture('names.ts'), 'coarse-clock', [], { ASYNC_PROF_CLOCK_US: '50000' });
    expect(result.code, result.stderr).toBe(0);
    const report = lastJsonLine<ReportJson>(result.stdout);
    expect(report.tasks.length).toBeGreaterThan(5);
    for (const task of report.tasks) expect(task.startMs, task.name).toBeGreaterThanOrEqual(0);
  });

  it('a stretch that blocks from the first line starts at time zero, not before it', async () => {
    const result = await run(fixture('blocks-at-start.ts'), 'blocks-at-start');
    expect(result.code, result.stderr).toBe(0);
    const report = lastJsonLine<ReportJson>(result.stdout);
    expect(report.blocking).toHaveLength(1);
    expect(report.blocking[0]!.startMs).toBeGreaterThanOrEqual(0);
    expect(report.blocking[0]!.durationMs).toBeGreaterThanOrEqual(100);
    expect(report.blocking[0]!.durationMs).toBeLessThan(200);
  });

  it('reports no blocking for a run of awaits and timers only', async () => {
    const result = await run(fixture('names.ts'), 'names-noblock');
    expect(result.code).toBe(0);
    expect(lastJsonLine<ReportJson>(result.stdout).blocking).toEqual([]);
  });

  it('tells a process stopped in the middle of a callback from code that blocks', async () => {
    // What a loaded machine does to a callback that takes a few ms, made certain: the process
    // stops itself (SIGSTOP) in the middle of its callback and the test resumes it 400 ms later,
    // so the profile has a hole, not samples.
    let stopped = false;
    const result = await run(fixture('stopped-while-running.ts'), 'stopped', [], {}, (stdout) => {
      const pid = /stopping (\d+)/.exec(stdout)?.[1];
      if (pid && !stopped) {
        stopped = true;
        setTimeout(() => process.kill(Number(pid), 'SIGCONT'), 400);
      }
    });
    expect(stopped).toBe(true);
    expect(result.code, result.stderr).toBe(0);
    const report = lastJsonLine<ReportJson>(result.stdout);
    expect(report.blocking).toEqual([]);
    expect(report.offCpu).toHaveLength(1);
    expect(report.offCpu[0]!.durationMs).toBeGreaterThanOrEqual(350);
    expect(report.offCpu[0]!.cpuMs).toBeLessThan(report.blockingThresholdMs / 2);
    expect(report.warnings.some((w) => /off the CPU for \d+ ms/.test(w))).toBe(true);
    // The loop really was late by that much: lag says so.
    expect(report.lag.maxMs).toBeGreaterThanOrEqual(350);
  });
});

describe('task names', () => {
  it('names methods, arrow consts, object-literal methods, async generators and default exports', async () => {
    const file = fixture('names.ts');
    const result = await run(file, 'names');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('seen 3,2,1');
    const report = lastJsonLine<ReportJson>(result.stdout);
    const byName = new Map(report.tasks.map((t) => [t.name, t]));
    const expected: [string, string, string][] = [
      ['Shop.brew', file, 'async brew'],
      ['Shop.open', file, 'static async open'],
      ['fetchUser', file, 'const fetchUser'],
      ['getItems', file, 'async getItems'],
      ['remove', file, 'remove: async'],
      ['countdown', file, 'async function* countdown'],
      ['main', file, 'async function main'],
      ['default', fixture('lib/default-export.ts'), 'export default async function'],
      ['loadConfig', fixture('lib/named-default.ts'), 'export default async function loadConfig'],
    ];
    for (const [name, where, text] of expected) {
      const task = byName.get(name);
      expect(task, name).toBeDefined();
      expect(task!.file).toBe(where);
      expect(task!.line, name).toBe(lineOf(where, text));
    }
    expect(byName.has('<anonymous>')).toBe(true);
    const main = byName.get('main')!;
    expect(byName.get('Shop.brew')!.parentId).toBe(main.id);
    expect(report.tasks.every((t) => t.outcome === 'fulfilled')).toBe(true);
  });
});

describe('real I/O', () => {
  it('attributes http, fetch, fs and zlib resources to the tasks that started them', async () => {
    const file = fixture('real-io.ts');
    const result = await run(file, 'io');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('hello /world true true');
    const model = loadModel(result.out);
    const ownerOf = (type: string) =>
      new Set(model.resources.filter((r) => r.type === type).map((r) => (r.taskId ? model.taskById[r.taskId]?.name : null)));
    expect(ownerOf('fetch')).toContain('fetchGreeting');
    expect(ownerOf('fs')).toContain('roundTripFile');
    expect(ownerOf('zlib')).toContain('compress');
    expect(model.resources.some((r) => r.type === 'httpServer')).toBe(true);
    expect(model.resources.some((r) => r.type === 'tcp')).toBe(true);
    const fetchResource = model.resources.find((r) => r.type === 'fetch')!;
    expect(fetchResource.callbacksMs.length).toBeGreaterThan(0);
    const report = lastJsonLine<ReportJson>(result.stdout);
    for (const type of ['fetch', 'fs', 'zlib', 'httpServer']) expect(report.resources[type]).toBeGreaterThan(0);
  });
});

describe('module formats and process behaviour', () => {
  it('runs CommonJS TypeScript with argv, stdin, stdout and stderr as without the profiler', async () => {
    const out = tracePath('echo');
    const result = await runCli(['run', '--no-serve', '--out', out, fixture('echo-stdin.cts'), 'one', '--two', '3'], { input: 'from stdin\n' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('args=["one","--two","3"]');
    expect(result.stdout).toContain('stdin=from stdin');
    expect(result.stdout).toContain('main-is-module true');
    expect(result.stderr).toContain('to-stderr');
    expect(loadModel(out).tasks.map((t) => t.name)).toContain('readAll');
  });

  it('passes timer callbacks the same arguments as Node does, and clears the handles', async () => {
    const file = fixture('timer-args.mjs');
    const bare = spawnSync(process.execPath, [file], { cwd: repoRoot, encoding: 'utf8' });
    expect(bare.status).toBe(0);
    const profiled = await run(file, 'timer-args');
    expect(profiled.code, profiled.stderr).toBe(0);
    const lines = (text: string) => text.split('\n').filter((l) => /^(timeout|immediate|interval|never)/.test(l)).sort();
    expect(lines(profiled.stdout)).toEqual(lines(bare.stdout));
    expect(lines(bare.stdout)).toHaveLength(6);
  });

  it('runs .cjs as node does, and .mjs importing a package and a local TS file by its .js name as tsx does (--runtime tsx)', async () => {
    const cjs = await run(fixture('plain.cjs'), 'plain-cjs');
    expect(cjs.code, cjs.stderr).toBe(0);
    expect(lastJsonLine<ReportJson>(cjs.stdout).tasks.map((t) => t.name)).toEqual(['cjsTask']);
    // JavaScript runs as node runs it: node cannot import a TypeScript file, and neither can run.
    const asNode = await runCli(['run', '--no-serve', '--quiet', '--out', tracePath('plain-mjs-node'), fixture('plain.mjs')]);
    const bare = spawnSync(process.execPath, [fixture('plain.mjs')], { encoding: 'utf8' });
    expect(bare.status).toBe(1);
    expect(asNode.code).toBe(1);
    // The same error; Node reports it from its module-hooks thread (README "What differs").
    expect(bare.stderr).toContain(`Error [ERR_MODULE_NOT_FOUND]: Cannot find module '${join(repoRoot, 'test/fixtures/core/lib/helper.js')}'`);
    expect(asNode.stderr).toContain(`Error [ERR_MODULE_NOT_FOUND]: Cannot find module '${join(repoRoot, 'test/fixtures/core/lib/helper.js')}'`);
    const mjs = await runCli(['run', '--no-serve', '--json', '--runtime', 'tsx', '--out', tracePath('plain-mjs'), fixture('plain.mjs')]);
    expect(mjs.code, mjs.stderr).toBe(0);
    expect(mjs.stdout).toContain('helper-ok');
    const names = lastJsonLine<ReportJson>(mjs.stdout).tasks.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['esmTask', 'helper']));
  });

  it('runs a .ts file with top-level await as tsx does: an error with no package.json above it, an ES module in a "type": "module" package', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'async-prof-nopkg-'));
    let probe = dir;
    for (; dirname(probe) !== probe; probe = dirname(probe)) expect(existsSync(join(probe, 'package.json'))).toBe(false);
    const source = [
      "import { setTimeout as sleep } from 'node:timers/promises';",
      'async function pause(ms: number): Promise<number> {',
      '  await sleep(ms);',
      '  return ms;',
      '}',
      'const waited: number = await pause(20);',
      'console.log(`waited ${waited}`);',
    ].join('\n');
    const script = join(dir, 'tla.ts');
    writeFileSync(script, source);
    // tsx compiles such a file to CommonJS, where top-level await is an error.
    const tsx = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), script], { cwd: dir, encoding: 'utf8' });
    const failed = await runCli(['run', '--no-serve', '--quiet', '--out', join(dir, 'fails.trace'), script], { cwd: dir });
    expect(tsx.status).toBe(1);
    expect(failed.code).toBe(1);
    expect(programStderr(failed.stderr)).toBe(tsx.stderr);

    const pkg = join(dir, 'pkg');
    mkdirSync(pkg);
    writeFileSync(join(pkg, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(pkg, 'tla.ts'), source);
    const out = join(pkg, 'tla.trace');
    const result = await runCli(['run', '--no-serve', '--json', '--out', out, join(pkg, 'tla.ts')], { cwd: pkg });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('waited 20');
    const report = lastJsonLine<ReportJson>(result.stdout);
    expect(report.tasks[0]).toMatchObject({ name: 'pause', file: 'tla.ts', line: 2 });
    expect(report.tasks[0]!.segments.find((s) => s.kind === 'wait')?.line).toBe(3);
  });

  it('instruments a script whose path merely starts with the profiler\'s own directory', async () => {
    // The profiler's own code lives in dist/; `dist-user/job.ts` is the user's, not ours.
    const dir = mkdtempSync(join(repoRoot, 'dist-'));
    try {
      const script = join(dir, 'job.ts');
      writeFileSync(script, ['async function job(): Promise<number> {', '  return 1;', '}', 'console.log(await job());'].join('\n'));
      const out = join(dir, 'job.trace');
      const result = await runCli(['run', '--no-serve', '--json', '--out', out, script]);
      expect(result.code, result.stderr).toBe(0);
      expect(lastJsonLine<ReportJson>(result.stdout).tasks.map((t) => t.name)).toEqual(['job']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('faults', () => {
  it('top-level throw: exit 1 and a readable trace with the error', async () => {
    const result = await run(fixture('throws.ts'), 'throws');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('top-level failure');
    const report = await runCli(['report', '--json', result.out]);
    expect(report.code).toBe(0);
    const json = JSON.parse(report.stdout) as ReportJson;
    expect(json.exitCode).toBe(1);
    expect(json.tasks.map((t) => t.name)).toContain('prepare');
    expect(json.errors[0]?.message).toBe('top-level failure');
  });

  it('unhandled rejection: exit 1, the task marked rejected', async () => {
    const result = await run(fixture('unhandled.ts'), 'unhandled');
    expect(result.code).toBe(1);
    const model = loadModel(result.out);
    expect(model.tasks.find((t) => t.name === 'failLater')?.outcome).toBe('rejected');
    expect(model.complete).toBe(true);
  });

  it('process.exit(3): exit 3 and a readable trace', async () => {
    const result = await run(fixture('exit-3.ts'), 'exit3');
    expect(result.code).toBe(3);
    const model = loadModel(result.out);
    expect(model.exitCode).toBe(3);
    expect(model.complete).toBe(true);
    expect(model.tasks.find((t) => t.name === 'work')?.outcome).toBe('pending');
  });

  it('--timeout stops an endless script within a few seconds and keeps its trace', async () => {
    const out = tracePath('endless');
    const result = await runCli(['run', '--no-serve', '--timeout', '2', '--out', out, fixture('endless.ts')]);
    expect(result.wallMs).toBeLessThan(7000);
    expect(result.code).toBe(130);
    const model = loadModel(out);
    expect(model.complete).toBe(true);
    const poll = model.tasks.find((t) => t.name === 'poll')!;
    expect(poll.outcome).toBe('pending');
    expect(poll.segments.filter((s) => s.kind === 'wait').length).toBeGreaterThan(10);
    // The timeout counts from the start of the process; the script's own clock starts after loading.
    expect(model.wallMs).toBeGreaterThan(300);
  });

  it('SIGKILL: the trace holds everything up to the last flush, with a warning', async () => {
    const result = await run(fixture('kill-self.ts'), 'killed');
    expect(result.code).toBe(137);
    const report = await runCli(['report', result.out]);
    expect(report.code).toBe(0);
    expect(report.stdout).toContain('beforeDeath');
    expect(report.stderr).toMatch(/warning: .*did not finish writing its trace/);
    const model = loadModel(result.out);
    expect(model.complete).toBe(false);
    expect(model.exitCode).toBe(137);
    const task = model.tasks.find((t) => t.name === 'beforeDeath')!;
    expect(task.segments.filter((s) => s.kind === 'wait').length).toBeGreaterThan(10);
  });

  it('missing script: exit 2, one line, no stack trace', async () => {
    const result = await runCli(['run', '--no-serve', 'does/not/exist.ts']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('script not found: does/not/exist.ts');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('unknown flag: exit 2 with one line', async () => {
    const result = await runCli(['run', '--frobnicate', fixture('names.ts')]);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toContain("unknown option '--frobnicate'");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('corrupt, truncated and missing traces given to report', async () => {
    const corrupt = join(tmp, 'corrupt.trace');
    writeFileSync(corrupt, 'this is not a trace at all');
    const bad = await runCli(['report', corrupt]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('not an async-prof trace');

    const missing = await runCli(['report', join(tmp, 'nope.trace')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('trace not found');

    // A good trace cut in the middle of a record still reports, with a warning.
    const source = tracePath('busy');
    const cut = join(tmp, 'cut.trace');
    copyFileSync(source, cut);
    const bytes = readFileSync(cut);
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const partial = await runCli(['report', cut]);
    expect(partial.code).toBe(0);
    expect(partial.stderr).toContain('warning');

    // Damage inside a record's payload: a clear error, never a stack trace.
    const garbled = Buffer.from(bytes);
    garbled.fill(0x7b, 40, 200);
    const garbledPath = join(tmp, 'garbled.trace');
    writeFileSync(garbledPath, garbled);
    const g = await runCli(['report', garbledPath]);
    expect(g.stderr).not.toMatch(/\n\s+at /);
    if (g.code !== 0) expect(g.stderr.trim().split('\n')).toHaveLength(1);
  });
});
