// The samples under `async-prof run`: each trace shows what the sample's header comment promises.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReportJson } from '../src/report/report-json.js';
import { lastJsonLine, runCli } from './helpers/cli.js';

type ReportTask = ReportJson['tasks'][number];
const tmp = mkdtempSync(join(tmpdir(), 'async-prof-samples-traced-'));

async function profile(sample: string, scale: number, args: string[] = []): Promise<ReportJson> {
  const out = join(tmp, `${sample.replace(/\W/g, '-')}-${args.join('')}.trace`);
  const result = await runCli(['run', '--no-serve', '--json', '--out', out, join('samples', sample), ...args], {
    env: { SAMPLE_TIME_SCALE: String(scale), SAMPLE_SEED: '42' },
  });
  expect(result.code, result.stderr).toBe(0);
  return lastJsonLine<ReportJson>(result.stdout);
}

const duration = (t: ReportTask) => t.endMs! - t.startMs;
const overlap = (a: ReportTask, b: ReportTask) => Math.min(a.endMs!, b.endMs!) - Math.max(a.startMs, b.startMs);
const named = (report: ReportJson, name: string) => report.tasks.filter((t) => t.name === name);

describe('samples under async-prof run', () => {
  it('coffee shop: three drinks overlap; the wall time is the longest, 5.0 s (scaled)', async () => {
    const report = await profile('coffee-shop.ts', 0.1);
    const drinks = ['makeEspresso', 'makeLatte', 'makeCappuccino'].map((n) => named(report, n)[0]!);
    for (const d of drinks) expect(d, 'drink task').toBeDefined();
    for (let i = 0; i < drinks.length; i++) {
      for (let j = i + 1; j < drinks.length; j++) expect(overlap(drinks[i]!, drinks[j]!)).toBeGreaterThan(250);
    }
    const shop = named(report, 'coffeeShop')[0]!;
    expect(duration(shop)).toBeGreaterThan(490);
    expect(duration(shop)).toBeLessThan(600);
    expect(report.blocking.filter((b) => !b.nodeSetup)).toEqual([]);
    // Three timers and almost nothing to compute: the loop is idle nearly all the time.
    expect(report.elu).toBeLessThan(0.25);
  });

  it('download manager: the sequential phase, then the parallel one', async () => {
    const report = await profile('download-manager.ts', 0.1);
    const seq = named(report, 'sequentialDownload')[0]!;
    const par = named(report, 'parallelDownload')[0]!;
    expect(seq.endMs!).toBeLessThanOrEqual(par.startMs);
    const seqChildren = report.tasks.filter((t) => t.parentId === seq.id && t.name === 'downloadFile');
    const parChildren = report.tasks.filter((t) => t.parentId === par.id && t.name === 'downloadFile');
    expect(seqChildren).toHaveLength(5);
    expect(parChildren).toHaveLength(5);
    const sorted = [...seqChildren].sort((a, b) => a.startMs - b.startMs);
    for (let i = 1; i < sorted.length; i++) expect(overlap(sorted[i - 1]!, sorted[i]!)).toBeLessThanOrEqual(0.5);
    for (const t of parChildren.slice(1)) expect(overlap(parChildren[0]!, t)).toBeGreaterThan(0);
    expect(duration(seq) / duration(par)).toBeGreaterThan(1.6);
  });

  it('restaurant: four orders overlap, each with three overlapping stations', async () => {
    const report = await profile('restaurant.ts', 0.1);
    const orders = named(report, 'processOrder');
    expect(orders).toHaveLength(4);
    const latestStart = Math.max(...orders.map((o) => o.startMs));
    const earliestEnd = Math.min(...orders.map((o) => o.endMs!));
    expect(latestStart).toBeLessThan(earliestEnd);
    for (const order of orders) {
      const courses = report.tasks.filter((t) => t.parentId === order.id);
      expect(courses.map((c) => c.name).sort()).toEqual(['prepareAppetizer', 'prepareDessert', 'prepareMainCourse']);
      expect(Math.max(...courses.map((c) => c.startMs))).toBeLessThan(Math.min(...courses.map((c) => c.endMs!)));
    }
  });

  it('blocking-sleep: a blocking entry naming the sleeping function and its line', async () => {
    const report = await profile('blocking-sleep.ts', 0.1);
    const blocks = report.blocking.filter((b) => b.function === 'blockingSleep');
    expect(blocks.length).toBeGreaterThanOrEqual(1);
    expect(blocks[0]!.file).toBe('samples/blocking-sleep.ts');
    expect(blocks[0]!.durationMs).toBeGreaterThanOrEqual(100);
    expect(report.lag.maxMs).toBeGreaterThanOrEqual(100);
  });

  it('await-in-loop: the fetchUser tasks never overlap; with --fixed they all do', async () => {
    const report = await profile('await-in-loop.ts', 0.1);
    const calls = named(report, 'fetchUser').sort((a, b) => a.startMs - b.startMs);
    expect(calls.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < calls.length; i++) expect(calls[i]!.startMs).toBeGreaterThanOrEqual(calls[i - 1]!.endMs!);
    const fixed = await profile('await-in-loop.ts', 0.1, ['--fixed']);
    const together = named(fixed, 'fetchUser');
    expect(together).toHaveLength(calls.length);
    expect(Math.max(...together.map((t) => t.startMs))).toBeLessThan(Math.min(...together.map((t) => t.endMs!)));
  });

  it('unbounded-fanout: 10,000 tasks in flight at once', async () => {
    const report = await profile('unbounded-fanout.ts', 0.1);
    expect(named(report, 'processItem')).toHaveLength(10_000);
    expect(report.concurrency.maxTasks).toBeGreaterThanOrEqual(10_000);
  });
});
