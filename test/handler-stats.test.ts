// Per-handler statistics (issue 17): a real run of a script whose functions sleep and block for
// known times, read back through the report JSON, the text report and the analysis itself.
import { beforeAll, describe, expect, it } from 'vitest';
import type { HandlerStats } from '../src/analysis/handler-stats.js';
import { analysisOf } from '../src/analysis/pipeline.js';
import { textReport } from '../src/report/text-report.js';
import { loadModel } from '../src/trace/load-model.js';
import { fixture, lineOf, profile, type Profiled } from './fixtures/analysis/profile.js';

const file = fixture('handlers.ts');
const row = (rows: readonly HandlerStats[], name: string) => {
  const found = rows.find((r) => r.name === name);
  if (!found) throw new Error(`no row for ${name}: ${rows.map((r) => r.name).join(', ')}`);
  return found;
};

describe('per-handler statistics of test/fixtures/analysis/handlers.ts', () => {
  let run: Profiled;
  beforeAll(async () => {
    run = await profile(file, 'handlers');
  }, 120_000);

  it('one row per function with its exact call count, at its file:line', () => {
    const rows = run.report.handlers;
    expect(row(rows, 'fast').count).toBe(40);
    expect(row(rows, 'slow').count).toBe(12);
    expect(row(rows, 'slowDependency').count).toBe(12);
    expect(row(rows, 'busy').count).toBe(4);
    expect(row(rows, 'main').count).toBe(1);
    expect(row(rows, 'fast').line).toBe(lineOf(file, 'async function fast('));
    expect(row(rows, 'fast').file).toBe(file);
    expect(rows.every((r) => r.pending === 0)).toBe(true);
    // Most total time first.
    const totals = rows.map((r) => r.totalMs);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
  });

  it('durations: percentiles ordered and near the sleeps (tolerances: timers fire late, never early)', () => {
    const rows = run.report.handlers;
    for (const r of rows) {
      expect(r.p50Ms).toBeLessThanOrEqual(r.p90Ms);
      expect(r.p90Ms).toBeLessThanOrEqual(r.p99Ms);
      expect(r.p99Ms).toBeLessThanOrEqual(r.maxMs);
    }
    const fast = row(rows, 'fast');
    expect(fast.p50Ms).toBeGreaterThanOrEqual(4.5);
    expect(fast.p50Ms).toBeLessThan(40);
    const slow = row(rows, 'slow');
    expect(slow.p50Ms).toBeGreaterThanOrEqual(41);
    expect(slow.p50Ms).toBeLessThan(120);
    // A slow call is ~8x a fast one: the table tells them apart.
    expect(slow.p50Ms).toBeGreaterThan(3 * fast.p50Ms);
    const busy = row(rows, 'busy');
    expect(busy.p50Ms).toBeGreaterThanOrEqual(70);
    expect(busy.meanMs * busy.count).toBeCloseTo(busy.totalMs, 0);
  });

  it('running vs waiting, and the await each waited at most', () => {
    const rows = run.report.handlers;
    const busy = row(rows, 'busy');
    const slow = row(rows, 'slow');
    expect(busy.runShare).toBeGreaterThan(0.5);
    expect(slow.runShare).toBeLessThan(0.2);
    expect(slow.topAwait).not.toBeNull();
    expect(slow.topAwait!.line).toBe(lineOf(file, 'await slowDependency()'));
    expect(slow.topAwait!.waits).toBe(12);
    expect(slow.topAwait!.waitMs).toBeGreaterThanOrEqual(12 * 39);
    expect(row(rows, 'fast').topAwait!.line).toBe(lineOf(file, 'await sleep(5)'));
  });

  it('the blocking each caused: busy holds the loop, fast does not', () => {
    const rows = run.report.handlers;
    const busy = row(rows, 'busy');
    expect(busy.blockingCount).toBeGreaterThanOrEqual(3);
    expect(busy.blockingMs).toBeGreaterThanOrEqual(50 * busy.blockingCount);
    expect(row(rows, 'fast').blockingCount).toBe(0);
  });

  it('the text report shows the table (calls, percentiles, function at file:line)', () => {
    const model = loadModel(run.trace);
    const text = textReport(model);
    const lines = text.split('\n');
    const start = lines.findIndex((l) => l.includes('handlers (most time first'));
    expect(start).toBeGreaterThan(0);
    const table = lines.slice(start + 2, start + 2 + 8);
    const fastLine = table.find((l) => / fast test\/fixtures\/analysis\/handlers\.ts:\d+/.test(l));
    expect(fastLine).toBeDefined();
    expect(fastLine!.trim().startsWith('40 ')).toBe(true);
    expect(table.find((l) => / busy test\/fixtures/.test(l))).toMatch(/blocked the loop/);
    // The analysis has the same rows the JSON printed.
    expect(analysisOf(model).handlers.map((r) => [r.name, r.count])).toEqual(run.report.handlers.map((r) => [r.name, r.count]));
  });
});
