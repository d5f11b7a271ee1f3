// The viewer with worker threads (issue 18): one lane group per thread, the main thread first,
// each headed by its own busy/idle strip and lag strip on the one time axis; a group folds to its
// header. Real run, `async-prof view` as a child process, headless Chromium.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, launchBrowser, openViewer, recordTrace, repoRoot, serve, tempDir, type Served } from './fixtures/viewer/harness.js';

let browser: Browser;
let served: Served;
const shots = join(repoRoot, 'test-results');

beforeAll(async () => {
  assertBuilt();
  mkdirSync(shots, { recursive: true });
  const trace = await recordTrace(join(repoRoot, 'test', 'fixtures', 'threads', 'pool.mjs'), join(tempDir('viewer-threads'), 'pool.trace'));
  served = await serve(['view', '--no-open', '--port', '0', trace]);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await served?.stop();
});

type ThreadState = { threads: { name: string; firstTask: number; endTask: number; busy: number[]; blocking: unknown[] }[]; collapsedGroups: number[] };

describe('worker threads in the viewer', { timeout: 120_000 }, () => {
  it('shows a lane group per thread, main first, each with its busy strip; a group folds to its header', async () => {
    const { page, errors } = await openViewer(browser, served.url, { width: 1400, height: 900 });
    const headers = page.locator('.lane.thread');
    await expect(headers.count()).resolves.toBe(5);
    const names = await headers.locator('.name').allTextContents();
    expect(names[0]).toBe('main thread');
    expect(names.slice(1).every((n) => /^worker \d+$/.test(n))).toBe(true);
    // Every worker ran two jobs: onJob and solve, twice.
    for (let k = 1; k < 5; k++) await expect(headers.nth(k).locator('.count').textContent()).resolves.toBe('4 tasks');
    // Five headers, the main thread's two tasks, each worker's four.
    const rows = () => page.locator('.timeline').getAttribute('data-rows').then(Number);
    await expect.poll(rows).toBe(5 + 2 + 16);

    const read = () =>
      page.evaluate(() => {
        const state = (window as unknown as { asyncProfViewer: { store: { state: { trace: { threads: unknown }; collapsedGroups: ArrayLike<number> } } } }).asyncProfViewer.store.state;
        return { threads: state.trace.threads, collapsedGroups: Array.from(state.collapsedGroups) } as ThreadState;
      });
    const before = await read();
    // Each worker's busy strip and blocking lie on the main thread's axis, inside the run.
    for (const thread of before.threads.slice(1)) {
      expect(thread.busy.length).toBeGreaterThan(0);
      expect(thread.blocking.length).toBeGreaterThan(0);
      expect(thread.busy[0]!).toBeGreaterThan(0);
    }
    await page.screenshot({ path: join(shots, 'viewer-threads-open.png') });

    // Fold the second worker's group: its four tasks go, its header stays.
    const worker = headers.nth(2);
    const workerName = await worker.locator('.name').textContent();
    await worker.locator('.twisty').click();
    await expect.poll(async () => (await read()).collapsedGroups).toEqual([0, 0, 1, 0, 0]);
    await expect.poll(rows).toBe(5 + 2 + 12);
    await expect(page.locator('.lane.thread').nth(2).locator('.name').textContent()).resolves.toBe(workerName);
    await expect(page.locator('.lane.thread').nth(2).getAttribute('aria-expanded')).resolves.toBe('false');
    await page.screenshot({ path: join(shots, 'viewer-threads-folded.png') });

    // Unfold it again from its label.
    await page.locator('.lane.thread').nth(2).locator('.name').click();
    await expect.poll(async () => (await read()).collapsedGroups).toEqual([0, 0, 0, 0, 0]);
    expect(errors).toEqual([]);
  });
});
