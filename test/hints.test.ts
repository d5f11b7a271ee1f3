// Issue 5: the hints of `report` (JSON and text), on the anti-pattern samples, their --fixed
// versions and the samples that must stay quiet; every script runs under the real CLI.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Hint } from '../src/analysis/hints/types.js';
import type { ReportJson } from '../src/report/report-json.js';
import { fixture, lineOf, profile, runCli } from './fixtures/analysis/profile.js';

const kinds = (report: ReportJson) => report.hints.map((h) => h.kind);
const ofKind = (report: ReportJson, kind: number): Hint[] => report.hints.filter((h) => h.kind === kind);
/** From the first start to the last end of the tasks of that name. */
function span(report: ReportJson, name: string): number {
  const tasks = report.tasks.filter((t) => t.name === name);
  return Math.max(...tasks.map((t) => t.endMs!)) - Math.min(...tasks.map((t) => t.startMs));
}

describe('1: await in a loop (samples/await-in-loop.ts, scaled 0.5)', () => {
  let before: ReportJson;
  let after: ReportJson;
  let text: string;
  beforeAll(async () => {
    const runs = await Promise.all([
      profile('samples/await-in-loop.ts', 'ail-before', { scale: 0.5 }),
      profile('samples/await-in-loop.ts', 'ail-after', { scale: 0.5, args: ['--fixed'] }),
    ]);
    [before, after] = runs.map((r) => r.report) as [ReportJson, ReportJson];
    text = (await runCli(['report', runs[0].trace])).stdout;
  });

  it("at the loop's line, with a saving close to what the fix saved", () => {
    const [hint, ...others] = ofKind(before, 1);
    expect(others).toEqual([]);
    expect(hint!.file).toBe('samples/await-in-loop.ts');
    expect(hint!.line).toBe(lineOf('samples/await-in-loop.ts', 'users.push(await fetchUser(id))'));
    expect(hint!.message).toContain('5 calls to fetchUser');
    // The real difference: how much less time the five calls took once started together.
    const real = span(before, 'fetchUser') - span(after, 'fetchUser');
    expect(real).toBeGreaterThan(300);
    expect(Math.abs(hint!.savingMs! - real) / real).toBeLessThan(0.1);
  });

  it('not after the fix', () => {
    expect(kinds(after)).not.toContain(1);
  });

  it('in the text report, with the fix and the saving', () => {
    expect(text).toMatch(/hints:\n +1 await-in-loop samples\/await-in-loop\.ts:\d+ \[saves ~\d+/);
    expect(text).toContain('start them all and await Promise.all');
  });
});

describe('3: floating promise (samples/forgotten-await.ts)', () => {
  let before: ReportJson;
  let after: ReportJson;
  beforeAll(async () => {
    [before, after] = (
      await Promise.all([profile('samples/forgotten-await.ts', 'fa-before'), profile('samples/forgotten-await.ts', 'fa-after', { args: ['--fixed'] })])
    ).map((r) => r.report) as [ReportJson, ReportJson];
  });

  it('both calls without await, at their lines', () => {
    const hints = ofKind(before, 3);
    const file = 'samples/forgotten-await.ts';
    expect(hints.map((h) => [h.file, h.line]).sort()).toEqual(
      [
        [file, lineOf(file, 'saveAuditLog(user); // BUG')],
        [file, lineOf(file, 'sendWelcomeEmail(user); // BUG')],
      ].sort(),
    );
    const email = hints.find((h) => h.message.includes('sendWelcomeEmail'))!;
    expect(email.message).toContain('rejected with nobody awaiting');
    expect(hints.find((h) => h.message.includes('saveAuditLog'))!.message).toMatch(/still running \d+(\.\d+)? ms after registerUser finished/);
  });

  it('not after the fix', () => {
    expect(kinds(after)).not.toContain(3);
  });
});

describe('4: unbounded fan-out (samples/unbounded-fanout.ts)', () => {
  let before: ReportJson;
  let after: ReportJson;
  beforeAll(async () => {
    [before, after] = (
      await Promise.all([profile('samples/unbounded-fanout.ts', 'uf-before'), profile('samples/unbounded-fanout.ts', 'uf-after', { args: ['--fixed'] })])
    ).map((r) => r.report) as [ReportJson, ReportJson];
  });

  it('10,000 tasks in flight at once', () => {
    const [hint, ...others] = ofKind(before, 4);
    expect(others).toEqual([]);
    expect(hint!.message).toMatch(/10000 processItem tasks in flight at once/);
    expect(hint!.taskIds).toHaveLength(10_000);
    expect(hint!.file).toBe('samples/unbounded-fanout.ts');
  });

  it('not with p-limit, and no await-in-loop either', () => {
    expect(kinds(after)).not.toContain(4);
    expect(kinds(after)).not.toContain(1);
  });
});

describe('quiet on correct code: no 1, 3 or 4', () => {
  it('coffee shop and restaurant: no hints of those kinds', async () => {
    const runs = await Promise.all([profile('samples/coffee-shop.ts', 'coffee-shop'), profile('samples/restaurant.ts', 'restaurant')]);
    for (const { report } of runs) expect(kinds(report).filter((k) => k === 1 || k === 3 || k === 4)).toEqual([]);
  });

  it('download manager: hint 1 for the sequential loop only, nothing on the parallel phase', async () => {
    const { report } = await profile('samples/download-manager.ts', 'download-manager');
    const file = 'samples/download-manager.ts';
    expect(kinds(report).filter((k) => k === 3 || k === 4)).toEqual([]);
    const loops = ofKind(report, 1);
    expect(loops.map((h) => h.line)).toEqual([lineOf(file, 'await downloadFile(baseUrl, filename, sizeMb)')]);
    const parallel = report.tasks.find((t) => t.name === 'parallelDownload')!;
    const parallelIds = new Set([parallel.id, ...report.tasks.filter((t) => t.parentId === parallel.id).map((t) => t.id)]);
    for (const hint of report.hints) expect(hint.taskIds.filter((id) => parallelIds.has(id))).toEqual([]);
    // The sequential phase: the saving is what running the five downloads together would have saved.
    const seq = report.tasks.find((t) => t.name === 'sequentialDownload')!;
    const downloads = report.tasks.filter((t) => t.parentId === seq.id).map((t) => t.endMs! - t.startMs);
    expect(loops[0]!.savingMs).toBeCloseTo(downloads.reduce((a, b) => a + b, 0) - Math.max(...downloads), 0);
  });

  it('a worker pool, a retry loop, a paced loop, race and any (test/fixtures/analysis/shapes.ts)', async () => {
    const { report } = await profile(fixture('shapes.ts'), 'shapes');
    // Blocking (2) depends on the machine's load, not on the code's shape.
    expect(report.hints.filter((h) => h.kind !== 2)).toEqual([]);
  });
});

describe('5 and 6: a timer left running, a task pending at exit (test/fixtures/analysis/leftovers.ts)', () => {
  let report: ReportJson;
  beforeAll(async () => {
    report = (await profile(fixture('leftovers.ts'), 'leftovers')).report;
  });

  it('5: the race timeout kept the process alive after the work, with the time it cost', () => {
    const [hint, ...others] = ofKind(report, 5);
    expect(others).toEqual([]);
    const file = fixture('leftovers.ts');
    expect([hint!.file, hint!.line]).toEqual([file, lineOf(file, 'await Promise.race([work()')]);
    const work = report.tasks.find((t) => t.name === 'work')!;
    // The process lived on until the 1.5 s timer fired; the work was done at 0.1 s.
    expect(Math.abs(hint!.savingMs! - (report.wallMs - work.endMs!))).toBeLessThan(5);
    expect(hint!.savingMs!).toBeGreaterThan(1300);
  });

  it('6: main and stuck were still waiting when the process exited', () => {
    const hints = ofKind(report, 6);
    const file = fixture('leftovers.ts');
    expect(hints.map((h) => h.line).sort((a, b) => a - b)).toEqual(
      [lineOf(file, 'await new Promise<void>(() => {})'), lineOf(file, 'await stuck()')].sort((a, b) => a - b),
    );
    expect(kinds(report)).not.toContain(3);
  });
});

describe('1 and 4 on fixtures: a loop inside a function, 1,000 tasks against a pool of 10', () => {
  it('await-loop.ts: the loop in loadAll, and not with --fixed', async () => {
    const file = fixture('await-loop.ts');
    const [before, after] = (await Promise.all([profile(file, 'al-before'), profile(file, 'al-after', { args: ['--fixed'] })])).map((r) => r.report);
    expect(ofKind(before!, 1).map((h) => [h.file, h.line])).toEqual([[file, lineOf(file, 'users.push(await fetchUser(id))')]]);
    expect(ofKind(before!, 1)[0]!.message).toContain('loadAll awaited 5 calls to fetchUser');
    expect(kinds(after!).filter((k) => k !== 2)).toEqual([]);
  });

  it('top-level-loop.ts: the top-level loop, though it works 3 ms between its calls', async () => {
    const file = fixture('top-level-loop.ts');
    const { report } = await profile(file, 'tll');
    const hints = ofKind(report, 1);
    expect(hints.map((h) => [h.file, h.line]), JSON.stringify(report.hints)).toEqual([[file, lineOf(file, 'total += await lookup(id)')]]);
    expect(hints[0]!.message).toContain(`the top-level code of ${file} awaited 8 calls to lookup one after another`);
  });

  it('fanout.ts: 1,000 at once fire, ten workers do not', async () => {
    const file = fixture('fanout.ts');
    const [before, after] = (await Promise.all([profile(file, 'fo-before'), profile(file, 'fo-after', { args: ['--fixed'] })])).map((r) => r.report);
    expect(ofKind(before!, 4), JSON.stringify(before!.hints)).toHaveLength(1);
    expect(ofKind(before!, 4)[0]!.line).toBe(lineOf(file, 'await Promise.all(ids.map('));
    expect(kinds(after!).filter((k) => k === 1 || k === 3 || k === 4)).toEqual([]);
  });
});
