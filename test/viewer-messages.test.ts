// The viewer with child processes and messages (issue 18): a lane group per child process next
// to the threads' on the one time axis, and arrows from the task that sent each message to the
// task that received it. Real runs of the two samples, `async-prof view`, headless Chromium.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, launchBrowser, openViewer, recordTrace, repoRoot, serve, tempDir, type Served } from './fixtures/viewer/harness.js';

let browser: Browser;
const servers: Served[] = [];
const shots = join(repoRoot, 'test-results');

beforeAll(async () => {
  assertBuilt();
  mkdirSync(shots, { recursive: true });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  for (const s of servers) await s.stop();
});

async function viewSample(sample: string, dir = join(repoRoot, 'samples')): Promise<Page> {
  const trace = await recordTrace(join(dir, sample), join(tempDir('viewer-messages'), `${sample}.trace`));
  const served = await serve(['view', '--no-open', '--port', '0', trace]);
  servers.push(served);
  const { page, errors } = await openViewer(browser, served.url, { width: 1400, height: 900 });
  page.on('close', () => expect(errors).toEqual([]));
  return page;
}

type Header = {
  threads: { name: string; pid?: number; childProcess?: boolean; command?: string; firstTask: number; endTask: number; answers?: { waitMs: number; answered: number } }[];
  messages?: { start?: true; fromGroup: number; fromTask: number; toGroup: number; toTask: number; fromMs: number; toMs: number }[];
};

const readHeader = (page: Page) =>
  page.evaluate(() => {
    const state = (window as unknown as { asyncProfViewer: { store: { state: { trace: { header: unknown; c: { taskName: Int32Array }; strings: string[] } } } } }).asyncProfViewer.store.state;
    const { header, c, strings } = state.trace;
    return { header: header as Header, names: Array.from(c.taskName, (s) => strings[s]!) };
  });

/** Zooms to [from, to] and waits for the animation to get there (the view stays within the run: a window past its end ends there). */
async function zoomTo(page: Page, from: number, to: number): Promise<void> {
  // The run's extent ends 1% of its wall time after it (viewer/view-state.ts, runExtent).
  const runEnd = await page.evaluate(() => {
    const wall = (window as unknown as { asyncProfViewer: { store: { state: { trace: { wall: number } } } } }).asyncProfViewer.store.state.trace.wall;
    return wall * 1.01;
  });
  await page.evaluate(([a, b]) => (window as unknown as { asyncProfViewer: { actions: { zoomTo(a: number, b: number): void } } }).asyncProfViewer.actions.zoomTo(a!, b!), [from, to]);
  await expect.poll(() => page.locator('.timeline').getAttribute('data-view-end-ms').then(Number)).toBeCloseTo(Math.min(to, runEnd), 0);
}

const arrowsOnScreen = (page: Page) => page.locator('.timeline').getAttribute('data-arrows').then(Number);

describe('child processes and messages in the viewer', { timeout: 180_000 }, () => {
  it('forked children: a lane group per process labelled with its pid and script, arrows from askChild to onJob and back', async () => {
    const page = await viewSample('work-in-child-processes.ts');
    const groups = page.locator('.lane.thread');
    await expect(groups.count()).resolves.toBe(3);
    const processes = page.locator('.lane.thread.process');
    await expect(processes.count()).resolves.toBe(2);
    for (let k = 0; k < 2; k++) {
      await expect(processes.nth(k).locator('.name').textContent()).resolves.toMatch(/^pid \d+$/);
      await expect(processes.nth(k).locator('.loc').textContent()).resolves.toContain('samples/lib/checksum-child.mjs');
      await expect(processes.nth(k).locator('.loc').textContent()).resolves.toMatch(/waited \d/);
    }
    const { header, names } = await readHeader(page);
    expect(header.threads.map((t) => t.childProcess === true)).toEqual([false, true, true]);
    // Four jobs down and four answers up (the two 'ready' messages come from top-level code).
    expect(header.messages!.filter((m) => m.start).map((m) => [m.fromGroup, names[m.fromTask], m.toGroup])).toEqual([
      [0, 'main', 1],
      [0, 'main', 2],
    ]);
    const joined = header.messages!.filter((m) => !m.start && m.fromTask >= 0 && m.toTask >= 0).map((m) => `${names[m.fromTask]} -> ${names[m.toTask]}`);
    expect(joined.filter((j) => j === 'askChild -> onJob')).toHaveLength(4);
    expect(joined.filter((j) => j === 'onJob -> askChild').length).toBeGreaterThanOrEqual(2);
    for (const m of header.messages!) expect(m.toGroup === 0).toBe(m.fromGroup !== 0);
    await expect.poll(() => arrowsOnScreen(page)).toBeGreaterThanOrEqual(8);
    await page.screenshot({ path: join(shots, 'viewer-messages-children.png') });
    // Zoomed to the jobs: each arrow from its sender's lane to its receiver's.
    const jobs = header.messages!.filter((m) => !m.start && m.fromTask >= 0);
    await zoomTo(page, Math.min(...jobs.map((m) => m.fromMs)) - 20, Math.max(...jobs.map((m) => m.toMs)) + 20);
    await expect.poll(() => arrowsOnScreen(page)).toBeGreaterThanOrEqual(8);
    await page.screenshot({ path: join(shots, 'viewer-messages-children-zoomed.png') });

    // Folded to its header, a child's arrows end on the header row: still drawn.
    await processes.nth(0).locator('.twisty').click();
    await expect.poll(() => arrowsOnScreen(page)).toBeGreaterThanOrEqual(8);
    await page.close();
  });

  it('programs that are not Node: a group each with its command, how it ended and its span, no tasks', async () => {
    const page = await viewSample('other-programs.mjs', join(repoRoot, 'test', 'fixtures', 'processes'));
    const processes = page.locator('.lane.thread.process');
    await expect(processes.count()).resolves.toBe(3);
    const labels = await processes.locator('.loc').allTextContents();
    expect(labels).toEqual([
      'sh -c sleep 0.1; exit 3 · exit 3 · not Node: not profiled',
      'sh -c kill -TERM $$ · killed by SIGTERM · not Node: not profiled',
      'sh -c echo printed · exit 0 · not Node: not profiled',
    ]);
    const { header } = (await page.evaluate(() => ({
      header: (window as unknown as { asyncProfViewer: { store: { state: { trace: { header: unknown } } } } }).asyncProfViewer.store.state.trace.header,
    }))) as { header: { threads: { span?: [number, number]; firstTask: number; endTask: number }[] } };
    const spans = header.threads.slice(1).map((t) => t.span!);
    for (const t of header.threads.slice(1)) expect(t.endTask - t.firstTask).toBe(0);
    // The sleeping shell ran about its 100 ms; every span starts after the run did.
    expect(spans[0]![1] - spans[0]![0]).toBeGreaterThan(90);
    expect(spans[0]![1] - spans[0]![0]).toBeLessThan(1000);
    for (const [start, end] of spans) expect(end).toBeGreaterThanOrEqual(start);
    await page.screenshot({ path: join(shots, 'viewer-other-programs.png') });
    await page.close();
  });

  it('the worker-thread sample: the pool\'s jobs and answers as arrows between the main thread and each worker', async () => {
    const page = await viewSample('blocking-work-in-a-thread.ts');
    await expect(page.locator('.lane.thread').count()).resolves.toBe(5);
    await expect(page.locator('.lane.thread.process').count()).resolves.toBe(0);
    const { header } = await readHeader(page);
    // Per worker: its start, 'ready', a job, its answer, 'stop'.
    expect(header.messages!.length).toBe(20);
    expect(header.messages!.filter((m) => m.start)).toHaveLength(4);
    for (const t of header.threads.slice(1)) expect(t.answers).toMatchObject({ answered: 1 });
    await expect.poll(() => arrowsOnScreen(page)).toBeGreaterThanOrEqual(12);
    await page.screenshot({ path: join(shots, 'viewer-messages-threads.png') });
    // Zoomed to the pool's work: the jobs going out and the answers coming back.
    const jobs = header.messages!.filter((m) => !m.start && m.fromGroup === 0 && m.fromTask >= 0);
    await zoomTo(page, Math.min(...jobs.map((m) => m.fromMs)) - 50, Math.max(...jobs.map((m) => m.toMs)) + 50);
    await page.screenshot({ path: join(shots, 'viewer-messages-threads-zoomed.png') });
    await page.close();
  });
});
