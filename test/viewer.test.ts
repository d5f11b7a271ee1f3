// The viewer end to end: real runs of real samples, `async-prof view` as a child process, a real
// headless Chromium. Lanes are found by name, hovered, zoomed, clicked.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertBuilt,
  fixture,
  inkShare,
  lane,
  launchBrowser,
  openViewer,
  pointOnLane,
  recordTrace,
  repoRoot,
  serve,
  tempDir,
  viewRange,
  waitForRange,
  type Served,
} from './fixtures/viewer/harness.js';

let browser: Browser;
const servers: Served[] = [];
const traces: Record<string, string> = {};
const shots = join(repoRoot, 'test-results');

async function view(trace: string): Promise<Served> {
  const served = await serve(['view', '--no-open', '--port', '0', trace]);
  servers.push(served);
  return served;
}

async function tooltipText(page: Page): Promise<string> {
  const tooltip = page.locator('.tooltip');
  await tooltip.waitFor({ state: 'visible' });
  return (await tooltip.textContent()) ?? '';
}

beforeAll(async () => {
  assertBuilt();
  mkdirSync(shots, { recursive: true });
  const dir = tempDir('viewer');
  const [coffee, downloads, blocking, xss, sleep, chain] = await Promise.all([
    recordTrace('samples/coffee-shop.ts', join(dir, 'coffee.trace')),
    recordTrace('samples/download-manager.ts', join(dir, 'downloads.trace')),
    recordTrace(fixture('blocking.ts'), join(dir, 'blocking.trace')),
    recordTrace(fixture('xss.ts'), join(dir, 'xss.trace')),
    recordTrace('samples/blocking-sleep.ts', join(dir, 'blocking-sleep.trace')),
    recordTrace('test/fixtures/core/await-chain.ts', join(dir, 'await-chain.trace')),
  ]);
  Object.assign(traces, { coffee, downloads, blocking, xss, sleep, chain });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((s) => s.stop()));
});

describe('the viewer in headless Chromium', () => {
  it('shows the coffee shop: lanes by name, tooltips, zoom, keyboard, a drawn canvas, no console errors', async () => {
    const { url } = await view(traces.coffee!);
    const { page, errors } = await openViewer(browser, url);

    // One lane per task, nested: coffeeShop > makeEspresso > makeDrink, ...
    for (const name of ['coffeeShop', 'makeEspresso', 'makeLatte', 'makeCappuccino']) await expect(lane(page, name).isVisible()).resolves.toBe(true);
    expect(await page.locator('.lane.task').filter({ has: page.getByText('makeDrink', { exact: true }) }).count()).toBe(3);
    expect(await lane(page, 'makeLatte').getAttribute('aria-level')).toBe('2');
    expect(await page.locator('[data-stat="tasks"] .card-value').textContent()).toBe('7');
    expect(await page.locator('[data-stat="peak"] .card-value').textContent()).toContain('in flight');

    // The three drinks overlap in time (Promise.all), visible from the lanes' spans.
    const span = async (name: string) => [Number(await lane(page, name).getAttribute('data-start-ms')), Number(await lane(page, name).getAttribute('data-end-ms'))];
    const [espresso, latte, cappuccino] = [await span('makeEspresso'), await span('makeLatte'), await span('makeCappuccino')];
    expect(latte[0]!).toBeLessThan(espresso[1]!);
    expect(cappuccino[0]!).toBeLessThan(espresso[1]!);

    // Hover: the task, its location, timing, and the await it waits on.
    const latteLane = lane(page, 'makeLatte');
    let point = await pointOnLane(page, latteLane, (latte[0]! + latte[1]!) / 2);
    await page.mouse.move(point.x, point.y);
    let text = await tooltipText(page);
    expect(text).toContain('makeLatte');
    expect(text).toContain('samples/coffee-shop.ts:20');
    expect(text).toMatch(/took \d/);
    expect(text).toContain('fulfilled');
    expect(text).toContain('waiting');

    const drink = lane(page, 'makeDrink', 1);
    const drinkSpan = [Number(await drink.getAttribute('data-start-ms')), Number(await drink.getAttribute('data-end-ms'))];
    point = await pointOnLane(page, drink, (drinkSpan[0]! + drinkSpan[1]!) / 2);
    await page.mouse.move(point.x, point.y);
    text = await tooltipText(page);
    expect(text).toContain('makeDrink');
    expect(text).toContain('at the await on line 11');
    expect(text).toContain('await sleep(seconds);');

    // Wheel zoom around the pointer.
    const full = await viewRange(page);
    await page.mouse.wheel(0, -600);
    const zoomed = await waitForRange(page, ([a, b]) => b - a < (full[1] - full[0]) * 0.8);
    expect(zoomed[0]).toBeGreaterThanOrEqual(full[0] - 1e-6);

    // Keyboard: W zooms in, A pans earlier, 0 resets.
    await page.mouse.move(5, 5);
    await page.keyboard.press('w');
    const keyZoomed = await waitForRange(page, ([a, b]) => b - a < (zoomed[1] - zoomed[0]) * 0.95);
    await page.keyboard.press('d');
    await waitForRange(page, ([a]) => a > keyZoomed[0]);
    await page.keyboard.press('0');
    await waitForRange(page, ([a, b]) => Math.abs(a - full[0]) < 1e-6 && Math.abs(b - full[1]) < 1e-6);

    // Drag on the time ruler: zoom to that range.
    const axis = (await page.locator('.axis-wrap').boundingBox())!;
    const canvas = (await page.locator('.plot-canvas').boundingBox())!;
    await page.mouse.move(canvas.x + canvas.width * 0.2, axis.y + axis.height / 2);
    await page.mouse.down();
    await page.mouse.move(canvas.x + canvas.width * 0.4, axis.y + axis.height / 2, { steps: 5 });
    await page.mouse.up();
    const span0 = full[1] - full[0];
    const selected = await waitForRange(page, ([a, b]) => b - a < span0 * 0.3);
    expect(selected[0]).toBeGreaterThan(full[0] + span0 * 0.15);
    expect(selected[1]).toBeLessThan(full[0] + span0 * 0.45);
    await page.keyboard.press('0');
    await waitForRange(page, ([a, b]) => Math.abs(b - a - span0) < 1e-6);

    // Click a bar: the details panel, with its segments.
    const espressoLane = lane(page, 'makeEspresso');
    point = await pointOnLane(page, espressoLane, (espresso[0]! + espresso[1]!) / 2);
    await page.mouse.click(point.x, point.y);
    const details = page.locator('.details');
    await details.waitFor({ state: 'visible' });
    expect(await details.locator('h2').textContent()).toBe('makeEspresso');
    expect(await details.textContent()).toContain('samples/coffee-shop.ts:16');
    expect(await details.locator('table.segments tbody tr.wait').count()).toBeGreaterThan(0);

    await page.mouse.move(5, 5);
    const png = await page.screenshot({ path: join(shots, 'viewer-coffee-shop.png') });
    expect(png.length).toBeGreaterThan(20_000);
    expect(await inkShare(page)).toBeGreaterThan(0.03);
    expect(errors).toEqual([]);
  });

  it('shows the download manager: sequential then parallel, collapse, filter, resources, dark theme', async () => {
    const { url } = await view(traces.downloads!);
    const { page, errors } = await openViewer(browser, url, { height: 1100 });
    await expect(lane(page, 'sequentialDownload').isVisible()).resolves.toBe(true);
    await expect(lane(page, 'parallelDownload').isVisible()).resolves.toBe(true);
    expect(await page.locator('.lane.task').filter({ has: page.getByText('downloadFile', { exact: true }) }).count()).toBe(10);

    // Sequential children never overlap; parallel ones all start together.
    const spans = async (from: number) => {
      const out: [number, number][] = [];
      for (let i = from; i < from + 5; i++) {
        const l = lane(page, 'downloadFile', i);
        out.push([Number(await l.getAttribute('data-start-ms')), Number(await l.getAttribute('data-end-ms'))]);
      }
      return out;
    };
    const sequential = await spans(0);
    for (let i = 1; i < 5; i++) expect(sequential[i]![0]).toBeGreaterThanOrEqual(sequential[i - 1]![1] - 1);
    const parallel = await spans(5);
    for (let i = 1; i < 5; i++) expect(parallel[i]![0]).toBeLessThan(parallel[0]![1]);

    // Collapse a group: its children go, a count says how many.
    // (Labels exist only for lanes on screen; the timeline tells how many lanes there are.)
    const rows = () => page.locator('.timeline').getAttribute('data-rows').then(Number);
    const lanes = await rows();
    expect(lanes).toBe(25);
    await lane(page, 'sequentialDownload').locator('.twisty').click();
    await expect.poll(rows).toBe(lanes - 5);
    expect(await lane(page, 'sequentialDownload').locator('.count').textContent()).toBe('+5');
    expect(await lane(page, 'sequentialDownload').getAttribute('aria-expanded')).toBe('false');
    await lane(page, 'sequentialDownload').locator('.twisty').click();
    await expect.poll(rows).toBe(lanes);

    // Filter by name (ancestors stay for context), by file:line, by outcome.
    const search = page.locator('input.search');
    await search.fill('parallel');
    await expect.poll(() => page.locator('.matches').textContent()).toBe('1 of 25 tasks');
    await expect.poll(() => page.locator('.lane.task .name').allTextContents()).toEqual(['main', 'parallelDownload']);
    expect(await lane(page, 'main').getAttribute('class')).toContain('context');
    await search.fill('download-manager.ts:38');
    await expect.poll(() => page.locator('.matches').textContent()).toBe('10 of 25 tasks');
    await search.fill('');
    await page.locator('select.outcome').selectOption('rejected');
    await expect.poll(() => page.locator('.matches').textContent()).toBe('0 of 25 tasks');
    await page.locator('select.outcome').selectOption('');
    await expect.poll(rows).toBe(lanes);

    // Resources under their tasks.
    await page.locator('input.resources-toggle').check();
    await expect.poll(() => page.locator('.lane.resource').count()).toBeGreaterThan(0);
    expect((await page.locator('.lane.resource .name').allTextContents()).join(' ')).toMatch(/setTimeout|fetch|tcp/);

    // Dark theme.
    const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.locator('.theme-toggle').click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe(light);
    await page.locator('input.resources-toggle').uncheck();
    await page.waitForTimeout(100);
    await page.screenshot({ path: join(shots, 'viewer-download-manager-dark.png') });
    expect(await inkShare(page)).toBeGreaterThan(0.03);
    expect(errors).toEqual([]);
  });

  it('highlights a blocking stretch with its function and line, and zooms to it from the header', async () => {
    const { url } = await view(traces.blocking!);
    const { page, errors } = await openViewer(browser, url);
    const busyLine = readFileSync(fixture('blocking.ts'), 'utf8').split('\n').findIndex((l) => l.includes('while (performance.now() < until)')) + 1;
    const where = `test/fixtures/viewer/blocking.ts:${busyLine}`;
    const entry = page.locator('.blocking-entry').first();
    expect(await entry.textContent()).toContain('crunchNumbers');
    expect(await entry.textContent()).toContain(where);
    expect(await entry.textContent()).not.toContain('awaits back to back');
    expect(await page.locator('[data-stat="blocking"] .card-value').textContent()).toBe('1 stretch');
    expect(await lane(page, 'failingJob').locator('.mark').textContent()).toContain('rejected');

    const stretch = await page.evaluate(() => {
      const b = window.asyncProfViewer!.trace.header.blocking[0]!;
      return { start: b.startMs, end: b.startMs + b.durationMs };
    });
    const before = await viewRange(page);
    await entry.click();
    const after = await waitForRange(page, ([a, b]) => b - a < (before[1] - before[0]) * 0.95 && a <= stretch.start && b >= stretch.end);
    expect(after[1]).toBeLessThan(before[1]);

    // The details panel names the code; the event-loop lane is painted in the blocking colour there.
    const details = page.locator('.details');
    await details.waitFor({ state: 'visible' });
    expect(await details.textContent()).toContain('crunchNumbers');
    expect(await details.textContent()).toContain(where);
    const mid = (stretch.start + stretch.end) / 2;
    const pixel = await page.evaluate(
      ([t, a, b]) => {
        const canvas = document.querySelector('canvas.plot-canvas') as HTMLCanvasElement;
        const scale = canvas.width / canvas.getBoundingClientRect().width;
        const x = Math.round((((t - a) / (b - a)) * canvas.getBoundingClientRect().width + 0) * scale);
        const y = Math.round(30 * scale);
        return Array.from(canvas.getContext('2d')!.getImageData(x, y, 1, 1).data);
      },
      [mid, after[0], after[1]] as const,
    );
    expect(pixel[0]).toBeGreaterThan(180); // vermillion #d55e00
    expect(pixel[2]).toBeLessThan(80);

    // Hovering the event-loop lane there says what blocked it.
    const canvas = (await page.locator('.plot-canvas').boundingBox())!;
    await page.mouse.move(canvas.x + ((mid - after[0]) / (after[1] - after[0])) * canvas.width, canvas.y + 20);
    const text = await tooltipText(page);
    expect(text).toContain('blocked');
    expect(text).toContain('crunchNumbers');
    await page.screenshot({ path: join(shots, 'viewer-blocking.png') });
    expect(errors).toEqual([]);
  });

  it('says when the loop was held by a chain of awaits rather than one long call', async () => {
    const { url } = await view(traces.chain!);
    const { page, errors } = await openViewer(browser, url);
    const entry = page.locator('.blocking-entry').first();
    expect(await entry.textContent()).toMatch(/[\d,]+ awaits back to back/);
    await entry.click();
    const details = page.locator('.details');
    await details.waitFor({ state: 'visible' });
    const text = (await details.textContent()) ?? '';
    expect(text).toMatch(/[\d,]+ awaits resumed one after another without the loop turning/);
    expect(text).toContain('test/fixtures/core/await-chain.ts:');
    await page.screenshot({ path: join(shots, 'viewer-await-chain.png') });
    expect(errors).toEqual([]);
  });

  it('shows the blocking sample\'s stretch with its function and line', async () => {
    const { url } = await view(traces.sleep!);
    const { page, errors } = await openViewer(browser, url);
    const entry = page.locator('.blocking-entry').first();
    expect(await entry.locator('.fn').textContent()).toBe('blockingSleep');
    expect(await entry.locator('.loc').textContent()).toMatch(/^samples\/blocking-sleep\.ts:\d+$/);
    await entry.click();
    const details = page.locator('.details');
    await details.waitFor({ state: 'visible' });
    expect(await details.locator('h2').textContent()).toMatch(/^Blocked \d/);
    expect(await details.textContent()).toContain('handleRequest');
    // The lane of the task the loop was running is selected.
    const task = await page.evaluate(() => window.asyncProfViewer!.trace.header.blocking[0]!.task);
    expect(task).toBeGreaterThanOrEqual(0);
    await expect.poll(() => page.locator(`.lane.task[data-task="${task}"]`).getAttribute('aria-selected')).toBe('true');
    await page.screenshot({ path: join(shots, 'viewer-blocking-sleep.png') });
    expect(errors).toEqual([]);
  });

  it('keeps what it shows in one store: a window written from outside is followed, a user zoom stops following, a click selects, Esc clears', async () => {
    const { url } = await view(traces.coffee!);
    const { page, errors } = await openViewer(browser, url);
    type Viewer = NonNullable<Window['asyncProfViewer']>;
    const state = () => page.evaluate(() => {
      const { window: w, followLive, selectedTask, selectedBlocking } = (window.asyncProfViewer as Viewer).store.state;
      return { from: w.from, to: w.to, followLive, selectedTask, selectedBlocking };
    });

    // What a live feed will do: move the window itself. The page follows it, unanimated.
    await page.evaluate(() => (window.asyncProfViewer as Viewer).store.set({ followLive: true, window: { from: 100, to: 300 } }));
    await waitForRange(page, ([a, b]) => Math.abs(a - 100) < 1e-6 && Math.abs(b - 300) < 1e-6);
    expect((await state()).followLive).toBe(true);

    // The user zooms: the store has the new window, and following stops.
    const canvas = (await page.locator('.plot-canvas').boundingBox())!;
    await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + 20);
    await page.mouse.wheel(0, -400);
    await waitForRange(page, ([a, b]) => b - a < 200 * 0.9);
    const zoomed = await state();
    expect(zoomed.followLive).toBe(false);
    expect(await viewRange(page)).toEqual([zoomed.from, zoomed.to]);

    // A click on a lane label selects its task; Esc clears the selection and closes the details.
    const label = lane(page, 'makeLatte');
    await label.locator('.name').click();
    const task = Number(await label.getAttribute('data-task'));
    await expect.poll(async () => (await state()).selectedTask).toBe(task);
    await page.locator('.details').waitFor({ state: 'visible' });
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
    await expect.poll(state).toMatchObject({ selectedTask: -1, selectedBlocking: -1 });
    expect(await page.locator('.details').isHidden()).toBe(true);
    expect(errors).toEqual([]);
  });

  it('renders names from user code as text, never as HTML', async () => {
    const { url } = await view(traces.xss!);
    const { page, errors } = await openViewer(browser, url);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const names = await page.locator('.lane.task .name').allTextContents();
    expect(names).toContain('<img src=x onerror=alert(1)>');
    expect(names).toContain('<script>window.__xss=1</script>');
    await lane(page, '<img src=x onerror=alert(1)>').click();
    expect(await page.locator('.details h2').textContent()).toBe('<img src=x onerror=alert(1)>');
    const span = [Number(await lane(page, '<img src=x onerror=alert(1)>').getAttribute('data-start-ms')), Number(await lane(page, '<img src=x onerror=alert(1)>').getAttribute('data-end-ms'))];
    const point = await pointOnLane(page, lane(page, '<img src=x onerror=alert(1)>'), (span[0]! + span[1]!) / 2);
    await page.mouse.move(point.x, point.y);
    expect(await tooltipText(page)).toContain('<img src=x onerror=alert(1)>');
    await page.waitForTimeout(200);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
  });
});
