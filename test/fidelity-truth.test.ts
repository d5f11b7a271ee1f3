// Issue 15's truth tests: what the report says is what the program did, and the profiler's own
// work does not show in what the program sees. Real child processes, timing within tolerances.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReportJson } from '../src/report/report-json.js';
import { lastJsonLine, runCli } from './helpers/cli.js';
import { repoRoot } from './helpers/run-sample.js';

const tmp = mkdtempSync(join(tmpdir(), 'async-prof-truth-'));
const fixture = (name: string) => join('test', 'fixtures', 'fidelity', name);
let traces = 0;
const tracePath = () => join(tmp, `run-${++traces}.trace`);

function bareJson<T>(script: string, args: string[] = []): T {
  const result = spawnSync(process.execPath, [join(repoRoot, script), ...args], { encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return lastJsonLine<T>(result.stdout);
}

describe('the profiler does not stall the loop', () => {
  it("a 1 ms interval's longest gap under the profiler is within 5 ms of bare over 8 s", async () => {
    // Both runs measure the machine too: a shared machine stalls either of them now and then,
    // so the pair is run up to three times, alternating; a profiler that stalls the loop on its
    // own (it did, 46-92 ms every 2 s, when it restarted V8's profiler) fails every pair.
    const pairs: [number, number][] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const bare = bareJson<{ maxGapMs: number }>(fixture('interval-gaps.mjs'), ['8']).maxGapMs;
      const run = await runCli(['run', '--no-serve', '--quiet', '--out', tracePath(), fixture('interval-gaps.mjs'), '8'], { timeoutMs: 60_000 });
      expect(run.code, run.stderr).toBe(0);
      const profiled = lastJsonLine<{ maxGapMs: number }>(run.stdout).maxGapMs;
      pairs.push([bare, profiled]);
      if (profiled <= bare + 5) break;
    }
    const [bare, profiled] = pairs.at(-1)!;
    expect(profiled, `bare vs profiled max gaps (ms): ${JSON.stringify(pairs)}`).toBeLessThanOrEqual(bare + 5);
  }, 200_000);
});

describe('a task ends when its promise settles, whatever it returned', () => {
  it('a thenable, a promise returned from try with an async finally, a promise subclass: within 5 ms of the script\'s own measurement', async () => {
    const run = await runCli(['run', '--no-serve', '--json', '--out', tracePath(), fixture('tail-durations.mjs')]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    const measured = JSON.parse(lines[0]!) as Record<string, number>;
    const report = lastJsonLine<ReportJson>(run.stdout);
    for (const [name, ms] of Object.entries(measured)) {
      const task = report.tasks.find((t) => t.name === name);
      expect(task, name).toBeDefined();
      expect(task!.outcome).toBe('fulfilled');
      const duration = task!.endMs! - task!.startMs;
      expect(ms, name).toBeGreaterThan(95);
      expect(Math.abs(duration - ms), `${name}: task ${duration} ms, script ${ms} ms`).toBeLessThanOrEqual(5);
    }
  });
});

describe('the report tells what the process did', () => {
  it('an exit code set in an exit handler is the exit code of the run and of the report', async () => {
    const out = tracePath();
    const run = await runCli(['run', '--no-serve', '--json', '--out', out, fixture('exit-code-in-handler.cjs')]);
    expect(run.code).toBe(3);
    expect(lastJsonLine<ReportJson>(run.stdout).exitCode).toBe(3);
    const report = await runCli(['report', '--json', out]);
    expect(lastJsonLine<ReportJson>(report.stdout).exitCode).toBe(3);
  });
});

describe('code the transform does not see is not silently missing', () => {
  it('a loader of the program\'s own that hands its code to module._compile (babel-register style) is instrumented', async () => {
    const run = await runCli(['run', '--no-serve', '--json', '--out', tracePath(), fixture('own-loader/main.cjs')]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('value 84');
    const report = lastJsonLine<ReportJson>(run.stdout);
    expect(report.tasks.filter((t) => t.name === 'step')).toHaveLength(2);
    expect(report.tasks.find((t) => t.name === 'run')?.file).toBe(fixture('own-loader/work.src.js'));
    expect(report.warnings.join('\n')).not.toMatch(/no tasks/);
  });

  it('code compiled with vm gets the "no tasks" warning, which suggests --hooks; --hooks records its work', async () => {
    const plain = await runCli(['run', '--no-serve', '--json', '--out', tracePath(), fixture('vm-loader/main.cjs')]);
    expect(plain.code, plain.stderr).toBe(0);
    const report = lastJsonLine<ReportJson>(plain.stdout);
    expect(report.tasks).toEqual([]);
    const warning = report.warnings.find((w) => w.startsWith('no tasks recorded'));
    expect(warning).toMatch(/loader of its own/);
    expect(warning).toMatch(/--hooks/);

    const hooked = await runCli(['run', '--no-serve', '--json', '--hooks', '--out', tracePath(), fixture('vm-loader/main.cjs')]);
    expect(hooked.code, hooked.stderr).toBe(0);
    expect(hooked.stdout).toContain('vm done');
    const withHooks = lastJsonLine<ReportJson>(hooked.stdout);
    const names = withHooks.tasks.map((t) => t.name);
    expect(names).toContain('PROMISE');
    expect(names.some((n) => n.startsWith('Timeout'))).toBe(true);
    expect(withHooks.warnings.join('\n')).not.toMatch(/no tasks/);
  });

  it('a program whose async work runs only in a worker thread: the worker\'s task is recorded; with --no-workers, the "no tasks" warning names workers', async () => {
    const run = await runCli(['run', '--no-serve', '--json', '--out', tracePath(), fixture('worker-only/main.mjs')]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('worker said 42');
    const report = lastJsonLine<ReportJson>(run.stdout);
    expect(report.tasks).toEqual([]);
    const worker = report.threads?.find((t) => t.threadId !== 0);
    expect(worker?.tasks, 'compute() in the worker').toBe(1);
    expect(report.warnings.find((w) => w.startsWith('no tasks recorded'))).toBeUndefined();

    const unrecorded = await runCli(['run', '--no-serve', '--json', '--no-workers', '--out', tracePath(), fixture('worker-only/main.mjs')]);
    expect(unrecorded.code, unrecorded.stderr).toBe(0);
    expect(unrecorded.stdout).toContain('worker said 42');
    const bare = lastJsonLine<ReportJson>(unrecorded.stdout);
    expect(bare.threads ?? []).toEqual([]);
    expect(bare.warnings.find((w) => w.startsWith('no tasks recorded'))).toMatch(/worker threads that were not recorded \(--no-workers\)/);
  });
});
