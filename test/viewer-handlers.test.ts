// The per-handler table in headless Chromium (issue 17): a real run of a script of repeated
// handlers, `async-prof view` as a child process; the table's rows, its sorting, and a click that
// marks the handler's calls on the timeline's canvas.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, fixture, lane, launchBrowser, openViewer, recordTrace, repoRoot, serve, tempDir, type Served } from './fixtures/viewer/harness.js';

let browser: Browser;
const servers: Served[] = [];
const traces: Record<string, string> = {};
const shots = join(repoRoot, 'test-results');
const handlersScript = join(repoRoot, 'test', 'fixtures', 'analysis', 'handlers.ts');
const awaitLine = readFileSync(handlersScript, 'utf8').split('\n').findIndex((l) => l.includes('await slowDependency()')) + 1;

async function view(trace: string): Promise<Served> {
  const served = await serve(['view', '--no-open', '--port', '0', trace]);
  servers.push(served);
  return served;
}

/** The table's rows as [function name, calls] in the order shown. */
async function rows(page: Page): Promise<[string, string][]> {
  return page.locator('.handlers-table tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [tr.querySelector('td[data-column="name"] .fn')!.textContent!, tr.querySelector('td[data-column="count"]')!.textContent!] as [string, string]),
  );
}

/** The canvas pixel (RGB) at a page point, a little inside the plot's left edge (before the run starts: no bar there). */
async function pixelLeftOf(page: Page, y: number): Promise<number[]> {
  return page.evaluate((pageY) => {
    const canvas = document.querySelector('canvas.plot-canvas') as HTMLCanvasElement;
    const box = canvas.getBoundingClientRect();
    const scale = canvas.width / box.width;
    const d = canvas.getContext('2d')!.getImageData(Math.round(3 * scale), Math.round((pageY - box.top) * scale), 1, 1).data;
    return [d[0]!, d[1]!, d[2]!];
  }, y);
}

async function laneMiddle(page: Page, name: string, nth = 0): Promise<number> {
  const box = (await lane(page, name, nth).boundingBox())!;
  return box.y + box.height / 2;
}

beforeAll(async () => {
  assertBuilt();
  mkdirSync(shots, { recursive: true });
  const dir = tempDir('viewer-handlers');
  const [handlers, xss] = await Promise.all([
    recordTrace(handlersScript, join(dir, 'handlers.trace')),
    recordTrace(fixture('xss.ts'), join(dir, 'xss.trace')),
  ]);
  Object.assign(traces, { handlers, xss });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((s) => s.stop()));
});

describe('the per-handler table', () => {
  it('lists every function with its calls, sorts by a clicked column, and marks a clicked handler\'s calls on the timeline', async () => {
    const { url } = await view(traces.handlers!);
    const { page, errors } = await openViewer(browser, url);
    const state = () => page.evaluate(() => {
      const s = window.asyncProfViewer!.store.state;
      return { highlight: s.highlight ? { handler: s.highlight.handler, count: s.highlight.count } : null, sort: s.handlerSort, open: s.handlersOpen };
    });

    // Open at first (fast was called 40 times), one row per function, exact counts.
    expect(await page.locator('details.handlers').getAttribute('open')).not.toBeNull();
    expect(await page.locator('.handlers-summary').textContent()).toBe('Handlers: 5 functions, 69 calls');
    const shown = await rows(page);
    expect(Object.fromEntries(shown)).toEqual({ main: '1', fast: '40', slow: '12', slowDependency: '12', busy: '4' });
    // First order: most total time first, as the data has it.
    const totals = await page.evaluate(() => window.asyncProfViewer!.trace.header.handlers!.map((h) => [h.name, h.totalMs] as [string, number]));
    expect(shown.map(([name]) => name)).toEqual(totals.map(([name]) => name));
    expect(await page.locator('th[data-column="totalMs"]').getAttribute('aria-sort')).toBe('descending');

    // Sort by calls: most first, then (clicked again) fewest first.
    await page.locator('th[data-column="count"] button').click();
    expect((await rows(page)).map(([, calls]) => Number(calls))).toEqual([40, 12, 12, 4, 1]);
    expect(await page.locator('th[data-column="count"]').getAttribute('aria-sort')).toBe('descending');
    await page.locator('th[data-column="count"] button').click();
    expect((await rows(page)).map(([, calls]) => Number(calls))).toEqual([1, 4, 12, 12, 40]);
    expect(await state()).toMatchObject({ sort: { column: 'count', descending: false } });
    // By name: A to Z first.
    await page.locator('th[data-column="name"] button').click();
    expect((await rows(page)).map(([name]) => name)).toEqual(['busy', 'fast', 'main', 'slow', 'slowDependency']);
    // By p50: slow (a 40 ms dependency and 2 ms more) above fast (5 ms).
    await page.locator('th[data-column="p50Ms"] button').click();
    const byP50 = (await rows(page)).map(([name]) => name);
    expect(byP50.indexOf('slow')).toBeLessThan(byP50.indexOf('fast'));
    expect(byP50.at(-1)).toBe('fast');

    // The busy row names its blocking, the slow row its await line.
    const busyRow = page.locator('.handlers-table tbody tr', { has: page.locator('.fn', { hasText: /^busy$/ }) });
    expect(await busyRow.locator('td[data-column="blockingMs"]').textContent()).toMatch(/^[\d.]+ (ms|s) in [34]$/);
    const slowRow = page.locator('.handlers-table tbody tr', { has: page.locator('.fn', { hasText: /^slow$/ }) });
    expect(await slowRow.locator('td[data-column="topAwait"]').textContent()).toMatch(new RegExp(`^:${awaitLine} \\d`));
    expect(await slowRow.locator('td[data-column="topAwait"] span').first().getAttribute('title')).toBe('await slowDependency();');

    // Click fast: its 40 calls are marked, the row too, and their lanes are tinted on the canvas.
    const before = await pixelLeftOf(page, await laneMiddle(page, 'fast'));
    const fastRow = page.locator('.handlers-table tbody tr', { has: page.locator('.fn', { hasText: /^fast$/ }) });
    await fastRow.click();
    const fastIndex = Number(await fastRow.getAttribute('data-handler'));
    expect(await state()).toMatchObject({ highlight: { handler: fastIndex, count: 40 } });
    expect(await fastRow.getAttribute('class')).toContain('highlighted');
    expect(await page.locator('.handlers-note').textContent()).toContain('40 calls of fast marked');
    await page.waitForTimeout(100);
    const lit = await pixelLeftOf(page, await laneMiddle(page, 'fast'));
    const otherLane = page.locator('.lane.task').filter({ hasNot: page.locator('.name').getByText('fast', { exact: true }) }).first();
    const otherBox = (await otherLane.boundingBox())!;
    const other = await pixelLeftOf(page, otherBox.y + otherBox.height / 2);
    const differs = (a: number[], b: number[]) => Math.abs(a[0]! - b[0]!) + Math.abs(a[1]! - b[1]!) + Math.abs(a[2]! - b[2]!) > 20;
    expect(differs(lit, before)).toBe(true);
    expect(differs(lit, other)).toBe(true);
    // A fast lane further down is tinted the same.
    expect(differs(await pixelLeftOf(page, await laneMiddle(page, 'fast', 3)), lit)).toBe(false);
    await page.screenshot({ path: join(shots, 'viewer-handlers.png') });

    // The same row again: the marks go.
    await fastRow.click();
    expect(await state()).toMatchObject({ highlight: null });
    await page.waitForTimeout(100);
    expect(differs(await pixelLeftOf(page, await laneMiddle(page, 'fast')), before)).toBe(false);

    // Folding the table is view state too.
    await page.locator('.handlers-summary').click();
    await expect.poll(state).toMatchObject({ open: false });
    expect(errors).toEqual([]);
  });

  it('shows names from user code as text', async () => {
    const { url } = await view(traces.xss!);
    const { page, errors } = await openViewer(browser, url);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    // Each function ran once: the table starts folded (the lanes say it all).
    expect(await page.locator('details.handlers').getAttribute('open')).toBeNull();
    await page.locator('.handlers-summary').click();
    const names = await page.locator('.handlers-table .fn').allTextContents();
    expect(names).toContain('<img src=x onerror=alert(1)>');
    expect(names).toContain('<script>window.__xss=1</script>');
    await page.locator('.handlers-table tbody tr').first().click();
    await page.waitForTimeout(200);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
  });
});
