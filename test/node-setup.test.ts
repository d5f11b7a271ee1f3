// Node's own one-time set-up (the first fetch(): undici loaded from Node's bundle, llhttp's
// WebAssembly compiled at its first calls) is recognised by where its samples are on the stack,
// whatever frame is hottest, and not counted against CI budgets. A real script that fetches 20
// pages from a local server, four at a time (test/fixtures/analysis/fetch-pages.ts).
import { describe, expect, it } from 'vitest';
import type { CiResult } from '../src/ci/result.js';
import type { ReportJson } from '../src/report/report-json.js';
import { fixture, profile, runCli } from './fixtures/analysis/profile.js';

const script = fixture('fetch-pages.ts');

describe("Node's first-fetch set-up", () => {
  it('is marked nodeSetup, named after the script function that called fetch() and what it went into', async () => {
    const run = await profile(script, 'fetch-pages');
    // With a threshold low enough to see the set-up at all (it is cut where the loop turned).
    const result = await runCli(['report', '--json', '--blocking-threshold', '10', run.trace]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as ReportJson;
    const first = report.blocking[0];
    expect(first, 'the first fetch takes at least 10 ms of set-up').toBeDefined();
    expect(first!.nodeSetup).toBe(true);
    expect(first!.function).toBe('fetchPage');
    expect(['__require', 'compileForInternalLoader', 'compileFunction', 'wasm-function']).toContain(first!.inside?.function.replace(/\[\d+\]$/, ''));
    // And the hint says so, instead of telling the script to move fetch() to a worker thread.
    const hint = report.hints.find((h) => h.kind === 2 && h.line === first!.line);
    expect(hint?.message).toMatch(/Node setting itself up/);
    // The probe that ran late across the set-up: not the program's lag, and said so.
    expect(report.lagNodeSetupMs, 'the set-up delayed the lag probe').toBeGreaterThan(5);
    expect(report.lagWallClock!.maxMs - report.lag.maxMs).toBeGreaterThan(5);
  });

  it('ci --runs 5 --max-blocking 50 passes on an I/O-only script', async () => {
    const result = await runCli(['ci', script, '--runs', '5', '--max-blocking', '50', '--reporter', 'json'], { timeoutMs: 110_000 });
    const ci = JSON.parse(result.stdout) as CiResult;
    expect(result.code, result.stdout).toBe(0);
    expect(ci.scripts[0]!.runs).toHaveLength(5);
    for (const r of ci.scripts[0]!.runs) expect(r.blockingMaxMs).toBeLessThan(50);
  });
});
