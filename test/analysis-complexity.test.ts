// Complexity is tested, not hoped: every analysis pass counts its work units (iterations of its
// inner loops), and on generated traces of each shape at N and 8N events the count may grow at
// most as n log n. Time is for the benchmark (npm run bench:analysis), never asserted here.
import { describe, expect, it } from 'vitest';
import { modelFromContent } from '../bench/analysis-from-objects.js';
import { generateShape, SHAPES } from '../bench/analysis-shapes.js';
import { TraceBuilder } from '../bench/analysis-trace-builder.js';
import { analyse, type Analysis } from '../src/analysis/pipeline.js';
import { textReport } from '../src/report/text-report.js';
import { toReportJson } from '../src/report/report-json.js';

const N = 20_000;

function analysed(content: Parameters<typeof modelFromContent>[0], budgetScale?: number): Analysis {
  return analyse(modelFromContent(content), { budgetScale });
}

/** What n log n allows from `small` to `large` events, with room for the passes' fixed costs. */
function allowed(unitsSmall: number, small: number, large: number): number {
  const growth = (large / small) * (Math.log2(large) / Math.log2(small));
  return unitsSmall * growth * 1.25 + 2 * large;
}

describe('work of every pass grows at most as n log n', () => {
  for (const shape of SHAPES) {
    it(`${shape}: N and 8N events`, () => {
      const a = analysed(generateShape(shape, N));
      const b = analysed(generateShape(shape, 8 * N));
      const small = a.model.eventCount;
      const large = b.model.eventCount;
      expect(large / small).toBeGreaterThan(7);
      // The shapes do what they are for: the passes have work to do.
      expect(b.blocking.length).toBeGreaterThan(a.blocking.length);
      if (shape === 'server' || shape === 'mix') expect(b.requests.map((r) => r.route).sort()).toEqual(['GET /health', 'GET /users/:n', 'POST /orders']);
      // Nothing cut short (deep nesting caps the report's path lists: their size is the depth squared).
      const cut = (x: Analysis) => x.cutShort.filter((line) => !line.startsWith('criticalPath.tasks lists at most'));
      expect(cut(a)).toEqual([]);
      expect(cut(b)).toEqual([]);
      for (const [pass, units] of a.work) {
        const grown = b.work.get(pass)!;
        expect(grown, `${pass}: ${units} units at ${small} events, ${grown} at ${large}`).toBeLessThanOrEqual(allowed(units, small, large));
      }
    });
  }

  it('with worker threads: the pool-saturated hint over four workers and the main thread, N and 8N events each', () => {
    const withWorkers = (events: number) => {
      const model = modelFromContent(generateShape('interval', events));
      // Each worker a run of its own on the same time axis (load-model.ts folds them in so).
      for (let i = 0; i < 4; i++) model.threads.push(modelFromContent(generateShape(i % 2 === 0 ? 'server' : 'fanout', events)));
      return analyse(model);
    };
    const a = withWorkers(N);
    const b = withWorkers(8 * N);
    const events = (x: Analysis) => x.model.eventCount + x.model.threads.reduce((sum, w) => sum + w.eventCount, 0);
    const units = a.work.get('hint pool-saturated')!;
    // Every worker's tasks and samples are looked at: the pass has work to do.
    expect(units).toBeGreaterThan(events(a) / 4);
    expect(b.work.get('hint pool-saturated')!).toBeLessThanOrEqual(allowed(units, events(a), events(b)));
  });

  it('the check catches a pass that grows as the square: race losers of a loop over started calls', () => {
    // `const ps = items.map(f); for (const p of ps) await p;`: each await's winner was started in
    // the same run as all the others, so every later call is listed as a loser of every await.
    const quadratic = (calls: number) => {
      const builder = new TraceBuilder();
      const main = builder.fn('main', 1);
      const fetchItem = builder.fn('fetchItem', 10);
      let at = 0;
      const m = builder.enter(main, 0, (at += 10));
      const started: number[] = [];
      for (let i = 0; i < calls; i++) {
        const c = builder.enter(fetchItem, m, (at += 10));
        builder.suspend(c, 11, (at += 10));
        started.push(c);
      }
      for (const c of started) {
        builder.suspend(m, 3, (at += 10));
        builder.resume(c, (at += 10));
        builder.exit(c, (at += 10));
        builder.resume(m, (at += 10));
      }
      builder.exit(m, (at += 10));
      return builder.build({ wallUs: at });
    };
    const a = analysed(quadratic(500));
    const b = analysed(quadratic(4000));
    const units = a.work.get('dependencies')!;
    expect(b.work.get('dependencies')!).toBeGreaterThan(allowed(units, a.model.eventCount, b.model.eventCount));
  });
});

describe('work budgets', () => {
  it('a pass over its budget stops; the report says so in one line and still has the rest', () => {
    const a = analysed(generateShape('fanout', N), 1e-4);
    expect(a.cutShort.length).toBeGreaterThan(0);
    for (const line of a.cutShort) expect(line).toMatch(/^[\w -]+ was (cut short after [\d,]+ steps \(its work budget for [\d,]+ events\)|skipped: the [\w ]+ pass was cut short)/);
    // Everything is in the warnings, so every output shows it.
    for (const line of a.cutShort) expect(a.model.warnings).toContain(line);
    const report = toReportJson(a.model);
    expect(report.tasks).toHaveLength(a.model.columns.tasks.count);
    expect(report.warnings).toEqual(expect.arrayContaining(a.cutShort));
    expect(textReport(a.model)).toContain(a.cutShort[0]!);
  });

  it('deep recursion: every task\'s path list is capped, with a line saying so, in the report JSON', () => {
    // The path of each level repeats the levels below it: the square of the depth in all.
    const a = analysed(generateShape('recursion', 40_000));
    expect(a.cutShort.some((line) => line.startsWith('criticalPath.tasks lists at most'))).toBe(true);
    const report = toReportJson(a.model);
    const longest = Math.max(...report.criticalPath.tasks.map((t) => t.taskIds.length));
    expect(longest).toBe(a.pathListLimit);
    const total = report.criticalPath.tasks.reduce((sum, t) => sum + t.taskIds.length, 0);
    expect(total).toBeLessThanOrEqual(8 * a.model.eventCount + 1_000_000);
  });
});
