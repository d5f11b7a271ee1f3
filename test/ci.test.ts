// `async-prof ci` end to end: the real CLI in child processes running real scripts.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CiResult } from '../src/ci/result.js';
import { Schema } from './fixtures/ci/xsd.js';
import { lineOf, repoRoot, runCi } from './fixtures/ci/run-ci.js';

const blockingFixture = 'test/fixtures/ci/blocking.ts';
const blockingLine = lineOf(join(repoRoot, blockingFixture), 'while (performance.now() < end)');
const junitSchema = new Schema(readFileSync(join(repoRoot, 'test/fixtures/ci/junit.xsd'), 'utf8'));

describe('async-prof ci: budgets', () => {
  it('fails a script that blocks the loop, at the blocking line, in every reporter', async () => {
    const out = mkdtempSync(join(tmpdir(), 'async-prof-ci-out-'));
    const summary = join(out, 'step-summary.md');
    writeFileSync(summary, '# earlier step\n');
    const run = await runCi(
      [blockingFixture, '--runs', '3', '--max-blocking', '50', '--max-lag-p99', '500', '--reporter', 'human,github,json,junit,markdown', '--out-dir', out],
      { env: { GITHUB_STEP_SUMMARY: summary } },
    );
    expect(run.code, run.stdout + run.stderr).toBe(1);

    // human: expected, found, all runs, the function and line, a fix hint.
    expect(run.stdout).toMatch(/✗ longest blocking\s+expected ≤ 50 ms, found 1\d\d ms\s+all runs: 1\d\d(\.\d+)?, 1\d\d(\.\d+)?, 1\d\d(\.\d+)? ms/);
    expect(run.stdout).toContain(`busyWait at ${blockingFixture}:${blockingLine} blocked the event loop for 1`);
    expect(run.stdout).toMatch(/fix: split the work into chunks/);
    expect(run.stdout).toMatch(/✓ lag p99\s+expected ≤ 500 ms/);
    expect(run.stdout).toMatch(/FAIL: 1 script, 1 budget exceeded \(exit 1\)/);
    // No progress lines: stderr is not a terminal here.
    expect(run.stderr).not.toMatch(/run \d of \d/);

    // github: an error annotation at the blocking line.
    const annotation = run.stdout.split('\n').find((l) => l.startsWith('::error '));
    expect(annotation).toBe(
      `::error file=${blockingFixture},line=${blockingLine},title=async-prof%3A longest blocking over budget::` +
        run.stdout.match(/longest blocking \d+ ms is over the budget of 50 ms: busyWait at [^\n]*? \(in 3\/3 runs\)/)![0] +
        ` (${blockingFixture}). Fix: split the work into chunks that yield (await setImmediate / scheduler.yield) or move it to a worker thread`,
    );

    // json: the documented shape.
    const json = JSON.parse(readFileSync(join(out, 'async-prof-ci.json'), 'utf8')) as CiResult;
    expect(json).toMatchObject({ version: 1, status: 'fail', exitCode: 1, settings: { runs: 3, aggregate: 'median', tolerancePct: 20, minChangeMs: 2, blockingThresholdMs: 50 } });
    expect(json.environment.node).toBe(process.version);
    const script = json.scripts[0]!;
    expect(script).toMatchObject({ script: blockingFixture, status: 'fail', baseline: 'none', error: null });
    expect(script.runs).toHaveLength(3);
    for (const r of script.runs) {
      expect(Object.keys(r).sort()).toEqual(['blocking', 'blockingCount', 'blockingMaxMs', 'lagMaxMs', 'lagP99Ms', 'wallMs', 'workerBlockingMaxMs']);
      expect(r.blockingCount).toBe(1);
      expect(r.blocking[0]).toMatchObject({ function: 'busyWait', file: blockingFixture, line: blockingLine });
    }
    const check = script.checks.find((c) => c.id === 'maxBlocking')!;
    expect(check).toMatchObject({ kind: 'budget', metric: 'blockingMaxMs', level: 'error', status: 'fail', budget: 50 });
    expect(check.values).toHaveLength(3);
    expect(check.location).toMatchObject({ function: 'busyWait', file: blockingFixture, line: blockingLine, runs: 3 });
    expect(script.checks.find((c) => c.id === 'maxLagP99')).toMatchObject({ status: 'pass', location: null });

    // junit: valid against the schema, one testcase per check, the failure where it belongs.
    const xml = readFileSync(join(out, 'async-prof-ci.junit.xml'), 'utf8');
    junitSchema.validate(xml);
    expect(xml).toMatch(/<testsuites name="async-prof ci" tests="2" failures="1" errors="0" skipped="0"/);
    expect(xml).toContain(`<testcase name="longest blocking ≤ 50 ms" classname="${blockingFixture}"`);
    expect(xml).toMatch(/<failure message="longest blocking \d+ ms is over the budget of 50 ms: busyWait at /);

    // markdown: a table, written to the out dir and appended to the step summary.
    const md = readFileSync(join(out, 'async-prof-ci.md'), 'utf8');
    expect(md).toContain('| Script | Check | Expected | Found | All runs | Baseline | Status |');
    expect(md).toMatch(new RegExp(`\\| \`${blockingFixture}\` \\| longest blocking \\| ≤ 50 ms \\| 1\\d\\d ms \\|.*\\| ❌ \\|`));
    expect(readFileSync(summary, 'utf8')).toBe(`# earlier step\n${md}`);
  });

  it.runIf(existsSync(join(repoRoot, 'samples/blocking-sleep.ts')))('fails the blocking-sleep sample with an annotation at its blocking line', async () => {
    const run = await runCi(['samples/blocking-sleep.ts', '--runs', '3', '--max-blocking', '50', '--reporter', 'human,github'], { env: { SAMPLE_TIME_SCALE: '0.1' } });
    expect(run.code, run.stdout + run.stderr).toBe(1);
    const human = /(\S+) at samples\/blocking-sleep\.ts:(\d+) blocked the event loop for (\d+) ms/.exec(run.stdout);
    expect(human, run.stdout).not.toBeNull();
    const [, fn, lineText] = human!;
    const line = Number(lineText);
    // The line is inside the named function: between its declaration and the end of its body.
    const source = readFileSync(join(repoRoot, 'samples/blocking-sleep.ts'), 'utf8').split('\n');
    const start = source.findIndex((l) => new RegExp(`function ${fn}\\b`).test(l)) + 1;
    const end = source.findIndex((l, i) => i >= start && /^}/.test(l)) + 1;
    expect(start, `${fn} is declared in the sample`).toBeGreaterThan(0);
    expect(line).toBeGreaterThan(start);
    expect(line).toBeLessThan(end);
    expect(run.stdout).toMatch(new RegExp(`^::error file=samples/blocking-sleep\\.ts,line=${line},title=async-prof%3A longest blocking over budget::`, 'm'));
  });

  it('passes the coffee shop and the download manager with the issue budgets', async () => {
    const run = await runCi(['samples/coffee-shop.ts', 'samples/download-manager.ts', '--runs', '3', '--max-lag-p99', '50', '--max-blocking', '50', '--reporter', 'json'], {
      env: { SAMPLE_TIME_SCALE: '0.1' },
    });
    const json = JSON.parse(run.stdout) as CiResult;
    const [coffee, downloads] = json.scripts;
    expect(coffee, run.stderr).toMatchObject({ script: 'samples/coffee-shop.ts', status: 'pass', error: null });
    expect(downloads!.error).toBeNull();
    // Node's first fetch() sets itself up (undici, llhttp's WebAssembly) synchronously; those
    // stretches are marked nodeSetup and not counted, so the sample's own code passes.
    expect(downloads, run.stdout).toMatchObject({ script: 'samples/download-manager.ts', status: 'pass' });
    expect(run.code).toBe(0);
  });

  it('warns without failing for a budget at level warn, from a config file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'async-prof-ci-config-'));
    const config = join(dir, 'ci.json');
    writeFileSync(
      config,
      JSON.stringify({
        runs: 1,
        budgets: { maxBlocking: { max: 50, level: 'warn' } },
        scripts: [{ path: join(repoRoot, 'test/fixtures/ci/blo*.ts'), budgets: { maxWall: 10_000 } }],
      }),
    );
    const run = await runCi(['--config', config, '--reporter', 'human,github']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/! longest blocking\s+expected ≤ 50 ms/);
    expect(run.stdout).toMatch(/✓ wall time\s+expected ≤ 10000 ms/);
    expect(run.stdout).toMatch(new RegExp(`^::warning file=${blockingFixture},line=${blockingLine},title=async-prof%3A longest blocking over budget::`, 'm'));
    expect(run.stdout).toMatch(/PASS: 1 script, 1 warning \(exit 0\)/);
  });
});

describe('async-prof ci: errors', () => {
  it('exits 2 with a clear message when the script crashes', async () => {
    const run = await runCi(['test/fixtures/ci/crash.ts', '--runs', '3', '--max-lag-p99', '50']);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('✗ test/fixtures/ci/crash.ts');
    expect(run.stdout).toContain('the script crashed on run 1: it exited with code 1: Error: database unreachable');
    expect(run.stdout).toContain('about to fail');
    expect(run.stdout).toMatch(/ERROR: 1 script, 1 script crashed \(exit 2\)/);
  });

  it('exits 2 on usage and config errors before running anything', async () => {
    const cases: [string[], RegExp][] = [
      [['test/fixtures/ci/clean.ts'], /nothing to check: give a budget/],
      [['test/fixtures/ci/missing.ts', '--max-lag 5'.split(' ')].flat(), /script not found: test\/fixtures\/ci\/missing\.ts/],
      [['test/fixtures/ci/clean.ts', '--max-lag', '5', '--reporter', 'human,xml'], /unknown reporter "xml"/],
      [['test/fixtures/ci/clean.ts', '--max-lag', '5', '--reporter', 'json,junit'], /would all write to stdout: give --out-dir/],
      [['test/fixtures/ci/clean.ts', '--max-lag', 'soon'], /--max-lag must be a number ≥ 0/],
      [['test/fixtures/ci/clean.ts', '--max-lag', '5', '--aggregate', 'mean'], /argument 'mean' is invalid/],
      [['test/fixtures/ci/clean.ts', '--max-lag', '5', '--update-baseline'], /--update-baseline needs --baseline/],
      [['--max-lag', '5'], /no scripts to check/],
    ];
    for (const [args, message] of cases) {
      const run = await runCi(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(message);
      expect(run.stdout).toBe('');
    }
    const dir = mkdtempSync(join(tmpdir(), 'async-prof-ci-bad-'));
    writeFileSync(join(dir, 'async-prof.config.json'), JSON.stringify({ budgets: { maxLagP90: 5 } }));
    const run = await runCi([join(repoRoot, 'test/fixtures/ci/clean.ts')], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('async-prof.config.json: budgets.maxLagP90 is not a known setting');
  });
});
