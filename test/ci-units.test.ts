// The pure parts of `async-prof ci`: statistics, verdicts, config, globs, reporters' escaping,
// output routing, source maps. The command itself is tested end to end in ci.test.ts.
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/ci/config.js';
import { evaluateScript, overall, smallestP, type RegressionCheck } from '../src/ci/evaluate.js';
import { planOutputs } from '../src/ci/output.js';
import type { ScriptPlan } from '../src/ci/plan.js';
import type { ScriptRuns } from '../src/ci/runner.js';
import { escapeData, escapeProperty } from '../src/ci/reporters/github.js';
import { renderJunit, xmlEscape } from '../src/ci/reporters/junit.js';
import { entryMatches, expandGlob, globToRegExp } from '../src/ci/scripts.js';
import { aggregate, mannWhitneyGreater, mannWhitneyU, median, normalCdf } from '../src/ci/stats.js';
import { parseSourceMap } from '../src/api/source-map.js';
import type { RunValues } from '../src/ci/metrics.js';
import type { CiResult } from '../src/ci/result.js';
import { Schema } from './fixtures/ci/xsd.js';

describe('statistics', () => {
  it('aggregates by median or worst run', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(aggregate([3, 9, 1], 'median')).toBe(3);
    expect(aggregate([3, 9, 1], 'pessimistic')).toBe(9);
    expect(aggregate([], 'median')).toBe(0);
  });

  it('computes U with ties as halves', () => {
    expect(mannWhitneyU([4, 5, 6], [1, 2, 3])).toBe(9);
    expect(mannWhitneyU([1, 2, 3], [4, 5, 6])).toBe(0);
    expect(mannWhitneyU([2, 2], [2, 2])).toBe(2);
  });

  it('gives exact one-sided p-values for small samples', () => {
    // Complete separation of 3 vs 3: one arrangement of C(6,3) = 20.
    expect(mannWhitneyGreater([4, 5, 6], [1, 2, 3])).toEqual({ u: 9, p: 0.05, method: 'exact' });
    // 5 vs 5: 1 / C(10,5) = 1/252.
    expect(mannWhitneyGreater([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]).p).toBeCloseTo(1 / 252, 10);
    // The other direction is as unlikely as can be.
    expect(mannWhitneyGreater([1, 2, 3], [4, 5, 6]).p).toBe(1);
    // All equal: no evidence at all.
    expect(mannWhitneyGreater([0, 0, 0], [0, 0, 0]).p).toBe(1);
    // Ties across groups: baseline all 0, now all 120 is still complete separation.
    expect(mannWhitneyGreater([120, 121, 119], [0, 0, 0]).p).toBe(0.05);
    // One run each can never be significant.
    expect(mannWhitneyGreater([10], [1]).p).toBe(0.5);
    expect(mannWhitneyGreater([], [1]).method).toBe('none');
  });

  it('uses a normal approximation for large samples, close to the exact value', () => {
    const a = Array.from({ length: 12 }, (_, i) => i + 6);
    const b = Array.from({ length: 12 }, (_, i) => i);
    const approx = mannWhitneyGreater(a, b);
    expect(approx.method).toBe('normal');
    // Shifted by half the range: clearly significant, not vanishingly so.
    expect(approx.p).toBeGreaterThan(0.0002);
    expect(approx.p).toBeLessThan(0.005);
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 5);
    expect(normalCdf(-1.644854)).toBeCloseTo(0.05, 5);
  });
});

const values = (v: Partial<RunValues>): RunValues => ({ lagP99Ms: 1, lagMaxMs: 2, blockingMaxMs: 0, blockingCount: 0, wallMs: 200, ...v });

function runsOf(list: Partial<RunValues>[], blocking: { function: string; file: string; line: number; durationMs: number }[] = []): ScriptRuns {
  const script: ScriptPlan = { path: 'x.ts', abs: '/x.ts', args: [], env: {}, budgets: {}, detectThresholdMs: 50 };
  return {
    script,
    crash: null,
    runs: list.map((v) => ({ values: values(v), blocking: blocking.map((b) => ({ ...b, inside: null })), tracePath: '' })),
  };
}

const settings = { aggregate: 'median' as const, tolerancePct: 20, minChangeMs: 2, alpha: 0.05, blockingThresholdMs: 50 };
const baselineOf = (list: Partial<RunValues>[]) => ({ recordedAt: '', blockingThresholdMs: 50, detectThresholdMs: 50, runs: list.map(values) });
const regression = (checks: ReturnType<typeof evaluateScript>['checks'], metric: string) =>
  checks.find((c) => c.kind === 'regression' && c.metric === metric) as RegressionCheck;

describe('verdicts', () => {
  it('checks a budget on the aggregate and names the blocking place', () => {
    const result = runsOf([{ blockingMaxMs: 150 }, { blockingMaxMs: 152 }, { blockingMaxMs: 20 }], [{ function: 'spin', file: 'a.ts', line: 7, durationMs: 151 }]);
    const verdict = evaluateScript(result, { maxBlocking: { max: 50, level: 'error' } }, null, settings);
    expect(verdict.status).toBe('fail');
    const check = verdict.checks[0]!;
    expect(check).toMatchObject({ kind: 'budget', status: 'fail', value: 150, values: [150, 152, 20] });
    expect(check.message).toBe('longest blocking 150 ms is over the budget of 50 ms: spin at a.ts:7 blocked the event loop for 151 ms (in 3/3 runs)');
    expect(check.location?.hint).toMatch(/worker thread/);
    // Pessimistic takes the worst run.
    expect(evaluateScript(result, { maxBlocking: { max: 151, level: 'error' } }, null, { ...settings, aggregate: 'pessimistic' }).status).toBe('fail');
    // A warn level never fails.
    expect(evaluateScript(result, { maxBlocking: { max: 50, level: 'warn' } }, null, settings).status).toBe('warn');
  });

  it('calls a change a regression only when it is large and consistent', () => {
    const five = (list: number[], metric: keyof RunValues = 'lagP99Ms') => list.map((v) => ({ [metric]: v }));
    const base = baselineOf(five([1, 1.2, 0.9, 1.1, 1]));
    // Large, consistent over 5 runs against 5: regression (p = 1/252, under alpha/3).
    let c = regression(evaluateScript(runsOf(five([9, 8, 10, 9.5, 8.5])), {}, base, settings).checks, 'lagP99Ms');
    expect(c).toMatchObject({ status: 'fail', baseline: 1 });
    expect(c.pValue).toBeCloseTo(1 / 252, 4);
    expect(c.message).toMatch(/^lag p99 regressed: 1 ms → 9 ms \(\+800%\)/);
    // One run of five near the baseline: the spread swallows the change.
    c = regression(evaluateScript(runsOf(five([9, 8, 0.5, 9.5, 8.5])), {}, base, settings).checks, 'lagP99Ms');
    expect(c.status).toBe('pass');
    // 3 runs against 3 can never be significant at 0.05/3 (smallest p = 1/20): inconclusive.
    const base3 = baselineOf(five([1, 1.2, 0.9]));
    c = regression(evaluateScript(runsOf(five([9, 8, 10])), {}, base3, settings).checks, 'lagP99Ms');
    expect(c.status).toBe('inconclusive');
    expect(c.message).toMatch(/3 runs against 3 cannot show it is consistent \(smallest possible p=0\.05 > 0\.0167\): use more --runs/);
    // Consistent but under the 2 ms floor: pass.
    c = regression(evaluateScript(runsOf(five([2.5, 2.6, 2.7])), {}, base3, settings).checks, 'lagP99Ms');
    expect(c.status).toBe('pass');
    // Over the floor but within 20% of a large baseline: pass; beyond it: regression.
    const wall = baselineOf(five([1000, 1010, 990, 1005, 995], 'wallMs'));
    c = regression(evaluateScript(runsOf(five([1150, 1160, 1170, 1155, 1165], 'wallMs')), {}, wall, settings).checks, 'wallMs');
    expect(c.status).toBe('pass');
    c = regression(evaluateScript(runsOf(five([1250, 1260, 1270, 1255, 1265], 'wallMs')), {}, wall, settings).checks, 'wallMs');
    expect(c.status).toBe('fail');
    // Largest lag is a budget only: one sample per run is too noisy to compare.
    expect(evaluateScript(runsOf(five([9, 8, 10])), {}, base3, settings).checks.map((ch) => ch.metric)).toEqual(['lagP99Ms', 'blockingMaxMs', 'wallMs', 'blockingCount']);
  });

  it('knows the smallest p-value a number of runs can give', () => {
    expect(smallestP(3, 3)).toBeCloseTo(1 / 20, 10);
    expect(smallestP(4, 4)).toBeCloseTo(1 / 70, 10);
    expect(smallestP(5, 5)).toBeCloseTo(1 / 252, 10);
    expect(smallestP(1, 3)).toBeCloseTo(1 / 4, 10);
    expect(smallestP(0, 3)).toBe(1);
  });

  it('compares counts exactly', () => {
    const base = baselineOf([{ blockingCount: 1 }, { blockingCount: 1 }, { blockingCount: 1 }]);
    expect(regression(evaluateScript(runsOf([{ blockingCount: 2 }, { blockingCount: 2 }, { blockingCount: 1 }]), {}, base, settings).checks, 'blockingCount').status).toBe('fail');
    expect(regression(evaluateScript(runsOf([{ blockingCount: 1 }, { blockingCount: 1 }, { blockingCount: 1 }]), {}, base, settings).checks, 'blockingCount').status).toBe('pass');
    // A baseline counted with another threshold is not compared.
    const other = { ...base, blockingThresholdMs: 100 };
    const verdict = evaluateScript(runsOf([{ blockingCount: 5 }]), {}, other, settings);
    expect(verdict.checks.some((ch) => ch.metric === 'blockingCount')).toBe(false);
    expect(verdict.notes[0]).toMatch(/not compared/);
  });

  it('maps statuses to exit codes', () => {
    expect(overall(['pass', 'warn'], 'report')).toEqual({ status: 'pass', exitCode: 0 });
    expect(overall(['pass', 'inconclusive'], 'report')).toEqual({ status: 'inconclusive', exitCode: 3 });
    expect(overall(['inconclusive'], 'fail').exitCode).toBe(1);
    expect(overall(['inconclusive'], 'pass').exitCode).toBe(0);
    expect(overall(['fail', 'inconclusive'], 'report').exitCode).toBe(1);
    expect(overall(['fail', 'error'], 'report')).toEqual({ status: 'error', exitCode: 2 });
  });
});

describe('config', () => {
  it('reads budgets as numbers or {max, level}, and scripts as paths or objects', () => {
    const config = parseConfig(
      {
        runs: 3,
        budgets: { maxLagP99: 20, maxBlocking: { max: 50, level: 'warn' } },
        scripts: ['a.ts', { path: 'b/*.ts', args: ['--x'], env: { A: 1 }, budgets: { maxWall: 1000 } }],
      },
      'cfg.json',
    );
    expect(config.budgets).toEqual({ maxLagP99: { max: 20, level: 'error' }, maxBlocking: { max: 50, level: 'warn' } });
    expect(config.scripts).toEqual([{ path: 'a.ts' }, { path: 'b/*.ts', args: ['--x'], env: { A: '1' }, budgets: { maxWall: { max: 1000, level: 'error' } } }]);
  });

  it('rejects unknown keys and bad values with the key in the message', () => {
    expect(() => parseConfig({ budgets: { maxlagP99: 20 } }, 'cfg.json')).toThrow('cfg.json: budgets.maxlagP99 is not a known setting (did you mean "maxLagP99"?)');
    expect(() => parseConfig({ runs: 0 }, 'cfg.json')).toThrow('cfg.json: runs must be at least 1');
    expect(() => parseConfig({ aggregate: 'mean' }, 'cfg.json')).toThrow(/aggregate must be one of "median", "pessimistic"/);
    expect(() => parseConfig({ budgets: { maxBlocking: { max: 5, level: 'fatal' } } }, 'cfg.json')).toThrow(/budgets.maxBlocking.level must be one of/);
    expect(() => parseConfig({ scripts: 'a.ts' }, 'cfg.json')).toThrow('cfg.json: scripts must be an array');
    expect(() => parseConfig([], 'cfg.json')).toThrow('cfg.json: must be an object');
  });

  it('has a JSON Schema that knows the same settings', () => {
    const schema = JSON.parse(readFileSync(new URL('../schema/async-prof.config.schema.json', import.meta.url), 'utf8')) as {
      properties: Record<string, unknown>;
      $defs: { budgets: { properties: Record<string, unknown> } };
    };
    expect(Object.keys(schema.properties).sort()).toEqual(
      ['$schema', 'runs', 'aggregate', 'tolerance', 'minChangeMs', 'alpha', 'blockingThresholdMs', 'timeout', 'baseline', 'inconclusive', 'reporters', 'outDir', 'env', 'budgets', 'scripts'].sort(),
    );
    expect(Object.keys(schema.$defs.budgets.properties).sort()).toEqual(['maxBlocking', 'maxBlockingCount', 'maxLag', 'maxLagP99', 'maxWall', 'maxWorkerBlocking']);
  });
});

describe('globs', () => {
  it('matches * within a directory and ** across directories', () => {
    expect(globToRegExp('a/*.ts').test('a/b.ts')).toBe(true);
    expect(globToRegExp('a/*.ts').test('a/b/c.ts')).toBe(false);
    expect(globToRegExp('a/**/*.ts').test('a/b/c.ts')).toBe(true);
    expect(globToRegExp('a/**/*.ts').test('a/c.ts')).toBe(true);
    expect(globToRegExp('a/?.ts').test('a/b.ts')).toBe(true);
  });

  it('expands a glob to sorted files and matches entries to scripts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'async-prof-glob-'));
    mkdirSync(join(dir, 'ex', 'deep'), { recursive: true });
    for (const f of ['ex/b.ts', 'ex/a.ts', 'ex/deep/c.ts', 'ex/readme.md']) writeFileSync(join(dir, f), '');
    expect(expandGlob('ex/*.ts', dir)).toEqual([join(dir, 'ex/a.ts'), join(dir, 'ex/b.ts')]);
    expect(expandGlob('ex/**/*.ts', dir)).toEqual([join(dir, 'ex/a.ts'), join(dir, 'ex/b.ts'), join(dir, 'ex/deep/c.ts')]);
    expect(entryMatches('ex/*.ts', dir, join(dir, 'ex/a.ts'))).toBe(true);
    expect(entryMatches('ex/a.ts', dir, join(dir, 'ex/a.ts'))).toBe(true);
    expect(entryMatches('ex/a.ts', dir, join(dir, 'ex/b.ts'))).toBe(false);
  });
});

describe('reporters', () => {
  it('escapes GitHub workflow command data and properties', () => {
    expect(escapeData('50% of\nit')).toBe('50%25 of%0Ait');
    expect(escapeProperty('a:b,c')).toBe('a%3Ab%2Cc');
  });

  it('escapes XML and drops characters XML cannot hold', () => {
    expect(xmlEscape(`<a href="x">&'\u0001`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
  });

  it('writes JUnit that the schema accepts, including odd characters and crashes', () => {
    const result: CiResult = {
      version: 1,
      status: 'error',
      exitCode: 2,
      startedAt: '2026-01-02T03:04:05.678Z',
      durationMs: 1234,
      settings: { runs: 1, aggregate: 'median', tolerancePct: 20, minChangeMs: 2, alpha: 0.05, blockingThresholdMs: 50, inconclusive: 'report', baseline: null, updateBaseline: false, config: null },
      environment: { node: 'v20', platform: 'linux', arch: 'x64', cpus: 2, cpuModel: 'cpu', memoryGb: 4 },
      warnings: [],
      scripts: [
        {
          script: 'a<&>.ts',
          status: 'error',
          baseline: 'none',
          runs: [],
          checks: [],
          notes: [],
          error: { run: 1, exitCode: 1, signal: null, timedOut: false, message: 'exited with code 1: Error: "bad" <thing>', output: ['line \u0007 one'] },
        },
      ],
    };
    const xml = renderJunit(result, 'host');
    new Schema(readFileSync(new URL('./fixtures/ci/junit.xsd', import.meta.url), 'utf8')).validate(xml);
    expect(xml).toContain('<error message="crashed on run 1: it exited with code 1: Error: &quot;bad&quot; &lt;thing&gt;" type="crash">');
  });

  it('the schema checker rejects what the format does not allow', () => {
    const schema = new Schema(readFileSync(new URL('./fixtures/ci/junit.xsd', import.meta.url), 'utf8'));
    schema.validate('<testsuites><testsuite name="a" tests="1"><testcase name="t" classname="c"/></testsuite></testsuites>');
    expect(() => schema.validate('<testsuites><testsuite tests="1"/></testsuites>')).toThrow(/required attribute name/);
    expect(() => schema.validate('<testsuites><testsuite name="a" tests="x"/></testsuites>')).toThrow(/not a valid xs:nonNegativeInteger/);
    expect(() => schema.validate('<testsuites><testsuite name="a" tests="1"><testcase name="t" classname="c"><failure/><error/></testcase></testsuite></testsuites>')).toThrow(/unexpected <error>/);
    expect(() => schema.validate('<testsuites><testsuite name="a" tests="1"><bogus/></testsuite></testsuites>')).toThrow(/unexpected <bogus>/);
    expect(() => schema.validate('<testsuites><testsuite name="a" tests="1"></testsuites>')).toThrow(/closes/);
    expect(() => schema.validate('<testsuites a="1 & 2"/>')).toThrow(/bare "&"/);
  });
});

describe('output routing', () => {
  it('sends reports to stdout, files and the step summary without clashes', () => {
    expect(planOutputs(['human'], null, {})).toEqual([{ reporter: 'human', targets: [{ kind: 'stdout' }] }]);
    // A machine-readable report on stdout moves the human one to stderr.
    expect(planOutputs(['human', 'json'], null, {}).map((d) => d.targets[0]!.kind)).toEqual(['stderr', 'stdout']);
    expect(() => planOutputs(['json', 'junit'], null, {})).toThrow(/--out-dir/);
    expect(() => planOutputs(['github', 'json'], null, {})).toThrow(/--out-dir/);
    const files = planOutputs(['human', 'json', 'junit', 'markdown', 'github'], '/out', { GITHUB_STEP_SUMMARY: '/summary.md' });
    expect(files.find((d) => d.reporter === 'markdown')!.targets).toEqual([
      { kind: 'file', path: '/out/async-prof-ci.md' },
      { kind: 'append', path: '/summary.md' },
    ]);
    // Markdown with a step summary and nothing else: only the summary.
    expect(planOutputs(['markdown'], null, { GITHUB_STEP_SUMMARY: '/s.md' })[0]!.targets).toEqual([{ kind: 'append', path: '/s.md' }]);
  });
});

describe('source maps', () => {
  it('maps generated lines to source lines', () => {
    // Line 0 -> source line 0; line 1 (empty); line 2 -> source line 3, column-wise second segment to line 4.
    const mapper = parseSourceMap({ version: 3, sources: ['a.ts'], mappings: 'AAAA;;AAGA,IACA' })!;
    expect(mapper.map(0)).toEqual({ line: 0, source: 'a.ts' });
    expect(mapper.map(1)).toBeNull();
    expect(mapper.map(2)).toEqual({ line: 3, source: 'a.ts' });
    expect(mapper.map(2, 5)).toEqual({ line: 4, source: 'a.ts' });
    expect(mapper.map(2, 3)).toEqual({ line: 3, source: 'a.ts' });
    // A segment with a column only maps nothing; a later one on the line still does.
    const partial = parseSourceMap({ version: 3, sources: ['b.ts'], mappings: 'A,EACA' })!;
    expect(partial.map(0, 0)).toEqual({ line: 1, source: 'b.ts' });
    expect(parseSourceMap({ version: 3, sources: ['b.ts'], mappings: 'A' })!.map(0)).toBeNull();
  });
});
