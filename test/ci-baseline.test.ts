// `async-prof ci --baseline`: recording, regressions, stability, inconclusive results.
// Real CLI, real scripts; kept short (3 runs of a ~200 ms script) to fit the test budget.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BaselineFile } from '../src/ci/baseline.js';
import type { CiResult } from '../src/ci/result.js';
import { repoRoot, runCi } from './fixtures/ci/run-ci.js';

const clean = join(repoRoot, 'test/fixtures/ci/clean.ts');

/** A directory with its own copy of the clean script, as a project would have it. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'async-prof-ci-baseline-'));
  copyFileSync(clean, join(dir, 'clean.ts'));
  return dir;
}

describe('async-prof ci: baseline', () => {
  it('records raw runs with Node and machine facts, then fails a 120 ms block added to the script', async () => {
    const dir = project();
    const record = await runCi(['clean.ts', '--runs', '3', '--baseline', 'baseline.json', '--update-baseline'], { cwd: dir });
    expect(record.code, record.stdout + record.stderr).toBe(0);
    expect(record.stdout).toContain('(baseline recorded)');
    const baseline = JSON.parse(readFileSync(join(dir, 'baseline.json'), 'utf8')) as BaselineFile;
    expect(baseline).toMatchObject({ asyncProfBaseline: 1, node: process.version, machine: { platform: process.platform, arch: process.arch } });
    expect(baseline.machine.cpus).toBeGreaterThan(0);
    const entry = baseline.scripts['clean.ts']!;
    expect(entry.runs).toHaveLength(3);
    expect(entry.runs[0]).toEqual({
      lagP99Ms: expect.any(Number),
      lagMaxMs: expect.any(Number),
      blockingMaxMs: 0,
      blockingCount: 0,
      wallMs: expect.any(Number),
      // No worker threads: nothing blocked in one.
      workerBlockingMaxMs: 0,
    });

    // The same script with a 120 ms synchronous block in one of its async functions.
    const source = readFileSync(join(dir, 'clean.ts'), 'utf8');
    const blocked = source.replace(
      'async function main(): Promise<void> {\n',
      'async function main(): Promise<void> {\n  const until = performance.now() + 120; while (performance.now() < until) {}\n',
    );
    expect(blocked).not.toBe(source);
    writeFileSync(join(dir, 'clean.ts'), blocked);
    const check = await runCi(['clean.ts', '--runs', '3', '--baseline', 'baseline.json', '--reporter', 'json'], { cwd: dir });
    expect(check.code, check.stdout + check.stderr).toBe(1);
    const result = JSON.parse(check.stdout) as CiResult;
    const script = result.scripts[0]!;
    expect(script).toMatchObject({ script: 'clean.ts', status: 'fail', baseline: 'compared' });
    // The count of blocking stretches is compared exactly: 0 -> 1 fails.
    const count = script.checks.find((c) => c.id === 'regression.blockingCount')!;
    expect(count).toMatchObject({ status: 'fail', baseline: 0, value: 1 });
    expect(count.location).toMatchObject({ function: 'main', file: 'clean.ts', line: 21 });
    // The duration is a timing: 3 runs against 3 cannot prove it at alpha/3, so it says so.
    const longest = script.checks.find((c) => c.id === 'regression.blockingMaxMs')!;
    expect(longest).toMatchObject({ kind: 'regression', status: 'inconclusive', baseline: 0, baselineValues: [0, 0, 0], pValue: 0.05 });
    expect(longest.value).toBeGreaterThan(100);
    expect(longest.message).toMatch(/use more --runs/);
    expect(result.warnings).toEqual([]);
  });

  it('does not fail an unchanged script checked ten times against its own baseline', async () => {
    const dir = project();
    const record = await runCi(['clean.ts', '--runs', '3', '--baseline', 'baseline.json', '--update-baseline'], { cwd: dir });
    expect(record.code, record.stdout + record.stderr).toBe(0);
    const codes: number[] = [];
    const failures: string[] = [];
    for (let i = 0; i < 10; i++) {
      const run = await runCi(['clean.ts', '--runs', '3', '--baseline', 'baseline.json', '--reporter', 'json'], { cwd: dir });
      codes.push(run.code ?? -1);
      if (run.code !== 0) failures.push(run.stdout + run.stderr);
    }
    // No failure: no regression (1) and no crash (2). Inconclusive (3, "worse, but 3 runs against
    // 3 cannot show it") is not a failure; it comes from the machine's load changing between the
    // baseline and a check, which no statistic over the runs can tell from a change (docs/ci.md).
    expect(codes.filter((c) => c === 1 || c === 2), failures.join('\n')).toEqual([]);
    expect(codes.every((c) => c === 0 || c === 3)).toBe(true);
    if (codes.includes(3)) console.log(`ten checks against the baseline: exit codes ${codes.join(' ')}`);
  });

  it('calls a worse but unproven change inconclusive (exit 3), warns about another machine, and --inconclusive decides', async () => {
    const dir = project();
    // A hand-made baseline: the script "used to" take 100 ms, on another machine and Node.
    const baseline: BaselineFile = {
      asyncProfBaseline: 1,
      node: 'v0.0.1',
      machine: { platform: process.platform, arch: process.arch, cpus: 99, cpuModel: 'Imaginary CPU', memoryGb: 1 },
      updatedAt: '2026-01-01T00:00:00.000Z',
      scripts: {
        'clean.ts': {
          recordedAt: '2026-01-01T00:00:00.000Z',
          blockingThresholdMs: 50,
          detectThresholdMs: 50,
          runs: [100, 101, 99].map((wallMs) => ({ lagP99Ms: 50, lagMaxMs: 50, blockingMaxMs: 0, blockingCount: 0, wallMs })),
        },
      },
    };
    writeFileSync(join(dir, 'baseline.json'), JSON.stringify(baseline));
    // One run cannot be significant against three (p >= 0.25): inconclusive.
    const run = await runCi(['clean.ts', '--runs', '1', '--baseline', 'baseline.json'], { cwd: dir });
    expect(run.code, run.stdout + run.stderr).toBe(3);
    expect(run.stdout).toMatch(/\? wall time vs baseline\s+expected ≤ 100 ms \+ tolerance, found \d+ ms \(\+\d+%\), p=0\.25/);
    expect(run.stdout).toMatch(/1 runs against 3 cannot show it is consistent \(smallest possible p=0\.25 > 0\.0167\): use more --runs/);
    expect(run.stdout).toContain('warning: baseline baseline.json was recorded with Node v0.0.1');
    expect(run.stdout).toMatch(/warning: baseline baseline\.json was recorded on a different machine \(99 vs \d+ CPUs; CPU "Imaginary CPU" vs/);
    expect(run.stdout).toMatch(/INCONCLUSIVE: 1 script, 1 inconclusive \(exit 3\)/);

    const strict = await runCi(['clean.ts', '--runs', '1', '--baseline', 'baseline.json', '--inconclusive', 'fail', '--reporter', 'github'], { cwd: dir });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/^::warning file=clean\.ts,title=async-prof%3A wall time vs baseline%3A inconclusive::/m);
  });

  it('warns when the baseline has no entry yet, and keeps other scripts when updating', async () => {
    const dir = project();
    copyFileSync(clean, join(dir, 'other.ts'));
    const first = await runCi(['other.ts', '--runs', '1', '--baseline', 'baseline.json', '--update-baseline'], { cwd: dir });
    expect(first.code).toBe(0);
    const missing = await runCi(['clean.ts', '--runs', '1', '--baseline', 'baseline.json', '--max-wall', '60000'], { cwd: dir });
    expect(missing.code).toBe(0);
    expect(missing.stdout).toContain('✓ clean.ts  (not in the baseline yet)');
    await runCi(['clean.ts', '--runs', '1', '--baseline', 'baseline.json', '--update-baseline'], { cwd: dir });
    const file = JSON.parse(readFileSync(join(dir, 'baseline.json'), 'utf8')) as BaselineFile;
    expect(Object.keys(file.scripts)).toEqual(['clean.ts', 'other.ts']);
  });
});
