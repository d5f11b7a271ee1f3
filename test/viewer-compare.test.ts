// The comparison view end to end: a real scaled run of the download manager under the CLI, the
// viewer served by `async-prof view` and exported by `async-prof export --html`, a real headless
// Chromium. Opened from the summary ("Compare phases") and from a right-click on a task.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, fixture, lane, launchBrowser, openViewer, pointOnLane, recordTrace, repoRoot, runCli, serve, tempDir, type Served } from './fixtures/viewer/harness.js';

let browser: Browser;
let trace: string;
let dir: string;
const servers: Served[] = [];
const shots = join(repoRoot, 'test-results');

async function figure(page: Page, stat: string, side: 'a' | 'b'): Promise<number> {
  return Number(await page.locator(`.compare-figures td[data-stat="${stat}"][data-side="${side}"]`).getAttribute('data-value'));
}

async function speedup(page: Page): Promise<number> {
  return Number(await page.locator('.compare-view').getAttribute('data-speedup'));
}

/** Share of a PNG screenshot's bytes is a poor measure: count distinct colours of the rendered region instead. */
async function distinctColours(page: Page, selector: string): Promise<number> {
  const png = await page.locator(selector).screenshot();
  // Decode in the page (no PNG decoder in Node's standard library).
  return page.evaluate(async (b64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${b64}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(image, 0, 0);
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    const colours = new Set<number>();
    for (let i = 0; i < data.length; i += 4 * 7) colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
    return colours.size;
  }, png.toString('base64'));
}

beforeAll(async () => {
  assertBuilt();
  mkdirSync(shots, { recursive: true });
  dir = tempDir('viewer-compare');
  const [downloads] = await Promise.all([recordTrace('samples/download-manager.ts', join(dir, 'downloads.trace')), launchBrowser().then((b) => (browser = b))]);
  trace = downloads;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((s) => s.stop()));
});

describe('the comparison view in headless Chromium', () => {
  it('opens "Compare phases" from the summary: sequentialDownload vs parallelDownload, figures, speedup, shared axis, Esc back', async () => {
    const served = await serve(['view', '--no-open', '--port', '0', trace]);
    servers.push(served);
    const { page, errors } = await openViewer(browser, served.url);

    const button = page.locator('[data-action="compare-phases"]');
    await expect(button.textContent()).resolves.toContain('sequentialDownload vs parallelDownload');
    await button.click();
    const view = page.locator('.compare-view');
    await view.waitFor({ state: 'visible' });
    await expect(view.locator('.compare-chip[data-side="a"] .compare-name').textContent()).resolves.toBe('sequentialDownload');
    await expect(view.locator('.compare-chip[data-side="b"] .compare-name').textContent()).resolves.toBe('parallelDownload');

    // The seed: 8.65 s vs 5.00 s, 1.73x (at a tenth of the time here).
    const s = await speedup(page);
    expect(s).toBeGreaterThan(1.73 - 0.15);
    expect(s).toBeLessThan(1.73 + 0.15);
    await expect(view.locator('.speedup').textContent()).resolves.toMatch(/^1\.\d\dx$/);
    await expect(view.locator('.verdict-text').textContent()).resolves.toContain('parallelDownload (B) is');
    expect(await figure(page, 'parallelism', 'a')).toBeGreaterThan(0.9);
    expect(await figure(page, 'parallelism', 'a')).toBeLessThan(1.05);
    expect(await figure(page, 'parallelism', 'b')).toBeGreaterThan(1.55);
    expect(await figure(page, 'parallelism', 'b')).toBeLessThan(2.2);
    expect(await figure(page, 'peak', 'a')).toBe(1);
    expect(await figure(page, 'peak', 'b')).toBe(5);
    const wallA = await figure(page, 'wall', 'a');
    const wallB = await figure(page, 'wall', 'b');
    expect(wallA / wallB).toBeCloseTo(s, 2);
    // Critical path: the sequential phase's is its wall time, the parallel one's its slowest download.
    expect(await figure(page, 'critical', 'a')).toBeCloseTo(wallA, 0);
    expect(await figure(page, 'critical', 'b')).toBeLessThanOrEqual(wallB + 1);
    expect(await figure(page, 'work', 'b')).toBeGreaterThan(wallB * 1.4);

    // Both subtrees, from 0 on one axis: each phase's root bar starts at the left edge; B's is shorter.
    const rootA = view.locator('.cg-side[data-side="a"] .cg-row.root .cg-bar');
    const rootB = view.locator('.cg-side[data-side="b"] .cg-row.root .cg-bar');
    const [boxA, boxB] = [(await rootA.boundingBox())!, (await rootB.boundingBox())!];
    expect(Math.abs(boxA.x - boxB.x)).toBeLessThan(2);
    expect(boxB.width / boxA.width).toBeCloseTo(1 / s, 1);
    expect(await view.locator('.cg-side[data-side="a"] .cg-row').count()).toBe(6); // the phase + 5 downloads
    expect(await view.locator('.cg-side[data-side="b"] .cg-bar.critical').count()).toBeGreaterThanOrEqual(2); // parallelDownload + movie.mp4's download

    await page.screenshot({ path: join(shots, 'viewer-compare.png') });
    expect(await distinctColours(page, '.compare-view')).toBeGreaterThan(8);

    // Esc: back to the timeline.
    await page.keyboard.press('Escape');
    await view.waitFor({ state: 'hidden' });
    await expect(page.locator('.timeline').isVisible()).resolves.toBe(true);

    // Hints are text at file:line.
    await page.locator('[data-action="hints"]').click();
    const hints = page.locator('.hint-list .hint');
    await expect(hints.first().textContent()).resolves.toContain('samples/download-manager.ts:');
    await page.screenshot({ path: join(shots, 'viewer-compare-hints.png') });
    expect(errors).toEqual([]);
  });

  it('opens from a right-click on a task lane (compare as A, compare as B), and in the exported HTML', async () => {
    const html = join(dir, 'downloads.html');
    const exported = await runCli(['export', trace, '--html', html]);
    expect(exported.code).toBe(0);
    const { page, errors } = await openViewer(browser, `file://${html}`);

    // Right-click on the lane labels: parallelDownload as A, sequentialDownload as B.
    await lane(page, 'parallelDownload').click({ button: 'right' });
    const menu = page.locator('.context-menu');
    await menu.waitFor({ state: 'visible' });
    await expect(menu.locator('.menu-title').textContent()).resolves.toContain('parallelDownload');
    await menu.locator('[data-action="compare-a"]').click();
    const view = page.locator('.compare-view');
    await view.waitFor({ state: 'visible' });
    // B was parallelDownload (the suggested pair): it takes the other phase.
    await expect(view.locator('.compare-chip[data-side="a"] .compare-name').textContent()).resolves.toBe('parallelDownload');
    await expect(view.locator('.compare-chip[data-side="b"] .compare-name').textContent()).resolves.toBe('sequentialDownload');
    expect(await speedup(page)).toBeLessThan(0.75);
    await expect(view.locator('.verdict-text').textContent()).resolves.toContain('parallelDownload (A) is');
    await page.locator('.compare-close').click();
    await view.waitFor({ state: 'hidden' });

    // Right-click on a bar of the canvas: the first downloadFile (the 500 MB movie) as B.
    const download = lane(page, 'downloadFile');
    const span = [Number(await download.getAttribute('data-start-ms')), Number(await download.getAttribute('data-end-ms'))];
    const point = await pointOnLane(page, download, (span[0]! + span[1]!) / 2);
    await page.mouse.click(point.x, point.y, { button: 'right' });
    await menu.waitFor({ state: 'visible' });
    await expect(menu.locator('.menu-title').textContent()).resolves.toContain('downloadFile');
    await menu.locator('[data-action="compare-b"]').click();
    await view.waitFor({ state: 'visible' });
    await expect(view.locator('.compare-chip[data-side="a"] .compare-name').textContent()).resolves.toBe('parallelDownload');
    await expect(view.locator('.compare-chip[data-side="b"] .compare-name').textContent()).resolves.toBe('downloadFile');
    expect(await figure(page, 'peak', 'b')).toBe(1);
    await page.screenshot({ path: join(shots, 'viewer-compare-right-click.png') });

    // Swap, then Esc.
    await view.locator('[data-action="swap"]').click();
    await expect(view.locator('.compare-chip[data-side="a"] .compare-name').textContent()).resolves.toBe('downloadFile');
    await page.keyboard.press('Escape');
    await view.waitFor({ state: 'hidden' });
    expect(errors).toEqual([]);
  });

  it('renders names from user code as text, never HTML', async () => {
    const xss = await recordTrace(fixture('xss.ts'), join(dir, 'xss.trace'));
    const served = await serve(['view', '--no-open', '--port', '0', xss]);
    servers.push(served);
    const { page, errors } = await openViewer(browser, served.url);
    const source = readFileSync(fixture('xss.ts'), 'utf8');
    expect(source).toContain('<');
    await lane(page, '<img src=x onerror=alert(1)>').click({ button: 'right' });
    await page.locator('.context-menu [data-action="compare-a"]').click();
    await lane(page, '<script>window.__xss=1</script>').click({ button: 'right' });
    await page.locator('.context-menu [data-action="compare-b"]').click();
    const view = page.locator('.compare-view');
    await view.waitFor({ state: 'visible' });
    await expect(view.locator('.compare-chip[data-side="a"] .compare-name').textContent()).resolves.toBe('<img src=x onerror=alert(1)>');
    await expect(view.locator('.compare-chip[data-side="b"] .compare-name').textContent()).resolves.toBe('<script>window.__xss=1</script>');
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('.compare-view script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(errors).toEqual([]);
  });
});
