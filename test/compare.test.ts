// Issue 5: `async-prof compare`, through the real CLI (child processes) on real traces.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Comparison, RunComparison } from '../src/analysis/compare.js';
import { profile, runCli, type Profiled } from './fixtures/analysis/profile.js';

const json = <T>(stdout: string): T => JSON.parse(stdout) as T;
const FIELDS = ['wallMs', 'workMs', 'parallelism', 'maxConcurrency', 'criticalPathMs'];

describe('compare two phases of one trace: the download manager (the seed\'s own times, 14 s)', () => {
  let run: Profiled;
  beforeAll(async () => {
    // Each download pays some ms the scale does not shrink (connection, the server's last timer
    // firing late on a busy machine); five in a row pay it five times. At the seed's scale that
    // is about 1% of the phase; at 0.1 it moves the speedup by more than the 0.05 allowed.
    run = await profile('samples/download-manager.ts', 'download-manager', { scale: 1 });
  });

  it('--a sequentialDownload --b parallelDownload --json: speedup 1.73, parallelism 1.0 against 1.73', async () => {
    const result = await runCli(['compare', run.trace, '--a', 'sequentialDownload', '--b', 'parallelDownload', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const cmp = json<Comparison>(result.stdout);
    expect(Object.keys(cmp)).toEqual(expect.arrayContaining(['a', 'b', 'speedup']));
    for (const side of [cmp.a, cmp.b]) for (const field of FIELDS) expect(typeof (side as unknown as Record<string, unknown>)[field]).toBe('number');
    // The seed: 8.65 s against 5.00 s.
    expect(Math.abs(cmp.speedup - 1.73), result.stdout).toBeLessThanOrEqual(0.05);
    // And it is what the sample measured with its own stopwatch around each phase.
    const own = Number(/Speed improvement: ([\d.]+)x/.exec(run.stdout)![1]);
    expect(Math.abs(cmp.speedup - own)).toBeLessThanOrEqual(0.02);
    expect(cmp.speedup).toBeCloseTo(cmp.a.wallMs / cmp.b.wallMs, 2);
    expect(Math.abs(cmp.a.parallelism - 1)).toBeLessThanOrEqual(0.05);
    // Work is the sum of the five downloads' durations; each pays a few ms of HTTP overhead on top
    // of its size, and the four short ones stretch when the machine is busy (five streams at once).
    expect(Math.abs(cmp.b.parallelism - 1.73), result.stdout).toBeLessThanOrEqual(0.2);
    expect(cmp.a.maxConcurrency).toBe(1);
    expect(cmp.b.maxConcurrency).toBe(5);
    // Sequential code: the path is the whole chain. Parallel: the slowest download, i.e. the whole phase too.
    expect(cmp.a.criticalPathMs / cmp.a.wallMs).toBeGreaterThan(0.97);
    expect(cmp.b.criticalPathMs / cmp.b.wallMs).toBeGreaterThan(0.97);
    expect(cmp.b.criticalPathMs).toBeLessThan(cmp.a.criticalPathMs);
    expect(cmp.a.name).toBe('sequentialDownload');
    // Hint 1 on the sequential loop: run together, its downloads would take what the parallel phase took.
    expect(cmp.b.loopSavingMs).toBe(0);
    expect(Math.abs(cmp.a.criticalPathMs - cmp.a.loopSavingMs - cmp.b.wallMs) / cmp.b.wallMs).toBeLessThan(0.03);
  });

  it('prints a readable side-by-side with the speedup and both timelines from 0', async () => {
    const result = await runCli(['compare', run.trace, '--a', 'sequentialDownload', '--b', 'parallelDownload']);
    expect(result.code, result.stderr).toBe(0);
    const text = result.stdout;
    for (const label of ['wall', 'work', 'parallelism', 'peak concurrency', 'critical path', 'speedup']) expect(text).toMatch(new RegExp(`^  ${label}`, 'm'));
    expect(text).toMatch(/a: sequentialDownload#\d+ +b: parallelDownload#\d+/);
    expect(text).toMatch(/speedup +1\.[6-8]\dx: b is 1\.[6-8]\dx faster than a/);
    expect(text).toContain('timeline, both from 0');
    expect(text.match(/downloadFile#\d+ .*\(critical path\)/g)).toHaveLength(6);
  });

  it('tasks by id, name#id and #id', async () => {
    const byName = json<Comparison>((await runCli(['compare', run.trace, '--a', 'sequentialDownload', '--b', 'parallelDownload', '--json'])).stdout);
    const byId = await runCli(['compare', run.trace, '--a', String(byName.a.taskId), '--b', `parallelDownload#${byName.b.taskId}`, '--json']);
    expect(byId.code, byId.stderr).toBe(0);
    expect(json<Comparison>(byId.stdout).speedup).toBe(byName.speedup);
  });

  it('usage errors exit 2, an unreadable trace 1', async () => {
    const missingB = await runCli(['compare', run.trace, '--a', 'sequentialDownload']);
    expect(missingB.code).toBe(2);
    expect(missingB.stderr).toContain('give --a and --b');
    const unknown = await runCli(['compare', run.trace, '--a', 'nope', '--b', 'parallelDownload']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no task "nope".*sequentialDownload/);
    const noTrace = await runCli(['compare', `${run.trace}.missing`, run.trace]);
    expect(noTrace.code).toBe(1);
  });
});

describe('compare two runs: await-in-loop before and after --fixed (scaled 0.5)', () => {
  let before: Profiled;
  let after: Profiled;
  beforeAll(async () => {
    [before, after] = await Promise.all([
      profile('samples/await-in-loop.ts', 'await-in-loop-before', { scale: 0.5 }),
      profile('samples/await-in-loop.ts', 'await-in-loop-after', { scale: 0.5, args: ['--fixed'] }),
    ]);
  });

  it('--json: the whole runs, and fetchUser by name', async () => {
    const result = await runCli(['compare', before.trace, after.trace, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const cmp = json<RunComparison>(result.stdout);
    // Five 0.1 s calls one after another, then all at once; start-up is the same in both.
    expect(cmp.speedup).toBeGreaterThan(2.5);
    expect(cmp.a.maxConcurrency).toBe(1);
    expect(cmp.b.maxConcurrency).toBe(5);
    expect(cmp.b.parallelism).toBeGreaterThan(3 * cmp.a.parallelism);
    const fetchUser = cmp.tasks.find((t) => t.name === 'fetchUser')!;
    expect(fetchUser.a!.count).toBe(5);
    expect(fetchUser.b!.count).toBe(5);
    // The calls themselves did not change; their span did.
    expect(Math.abs(fetchUser.deltaMs)).toBeLessThan(0.2 * fetchUser.a!.totalMs);
    expect(fetchUser.speedup!).toBeGreaterThan(3.5);
  });

  it('text: the speedup and the task table', async () => {
    const result = await runCli(['compare', before.trace, after.trace]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/speedup +\d\.\d\dx: b is \d\.\d\dx faster than a/);
    expect(result.stdout).toContain('tasks by name, largest changes first');
    expect(result.stdout).toMatch(/fetchUser +5 .* 5 .*span \d\.\d\dx faster/);
  });

  it('--a with two traces picks the same task in both', async () => {
    const result = await runCli(['compare', before.trace, after.trace, '--a', 'fetchUser', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const cmp = json<Comparison & { mode: string }>(result.stdout);
    expect(cmp.mode).toBe('tasks');
    expect(cmp.a.name).toBe('fetchUser');
    expect(cmp.b.name).toBe('fetchUser');
  });
});
