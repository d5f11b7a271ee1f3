// `run --live` (issue 17), end to end: the express sample under the real CLI, a real load from
// autocannon (samples/express-server/load.ts), the live page in headless Chromium. The page's
// task count grows while the load runs; a blocking request's stretch shows within 2 s, named at
// its line; a zoom pauses following and "Back to live" resumes it; Ctrl-C stops the script, the
// report comes out (its per-handler counts are the requests sent), and the page shows the whole run.
import { spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportJson } from '../src/report/report-json.js';
import { assertBuilt, cli, launchBrowser, openViewer, repoRoot } from './fixtures/viewer/harness.js';

const serverScript = join('samples', 'express-server', 'server.ts');
const loadScript = join('samples', 'express-server', 'load.ts');
const serverLines = readFileSync(join(repoRoot, serverScript), 'utf8').split('\n');
/** renderReport's loop: the hottest line of the blocking stretch is one of these two. */
const renderLines = [serverLines.findIndex((l) => l.includes('while (performance.now() < until || cpuSince(started) < ms)')) + 1, serverLines.findIndex((l) => l.includes('for (let i = 0; i < 20_000')) + 1];
const shots = join(repoRoot, 'test-results');

let browser: Browser;
const children: ChildProcess[] = [];

beforeAll(async () => {
  assertBuilt();
  mkdirSync(shots, { recursive: true });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

interface LiveRun {
  child: ChildProcess;
  viewerUrl: string;
  appUrl: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function startLive(out: string, extra: string[] = []): Promise<LiveRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'run', '--live', ...extra, '--json', '--no-open', '--port', '0', '--out', out, serverScript], {
      cwd: repoRoot,
      env: { ...process.env, BROWSER: 'none' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stdout = '';
    let stderr = '';
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    const timer = setTimeout(() => reject(new Error(`no URLs: ${stdout} ${stderr}`)), 30_000);
    const check = () => {
      const viewer = /^(http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(stderr)?.[1];
      const app = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      if (viewer && app) {
        clearTimeout(timer);
        resolve({ child, viewerUrl: viewer, appUrl: app, stdout: () => stdout, stderr: () => stderr, exited });
      }
    };
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      check();
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      check();
    });
  });
}

interface LoadResult {
  [route: string]: { requests: number; p50: number; p99: number; errors: number };
}

function runLoad(base: string, env: NodeJS.ProcessEnv): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', loadScript, base], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('close', (code) => {
      const json = /^json (.*)$/m.exec(out)?.[1];
      if (code !== 0 || !json) reject(new Error(`load generator exited ${code}: ${out}`));
      else {
        console.log(out.trim());
        resolve(JSON.parse(json) as LoadResult);
      }
    });
  });
}

/** The status of a GET with this Host header (fetch does not let one set it). */
function statusWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = get(url, { headers: { Host: host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on('error', reject);
  });
}

const pageState = (page: Page) =>
  page.evaluate(() => {
    const { store, live } = window.asyncProfViewer!;
    const s = store.state;
    return {
      tasks: s.trace.n,
      live: s.live,
      followLive: s.followLive,
      window: s.window,
      wall: s.trace.wall,
      updates: live?.updates ?? 0,
      blocking: s.trace.header.blocking.map((b) => ({ fn: b.function, file: b.file, line: b.line, startMs: b.startMs })),
    };
  });

describe('run --live on the express sample', () => {
  it('streams the running server to the page, shows blocking within 2 s at its line, pauses and resumes following, and keeps the page after Ctrl-C', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'async-prof-live-'));
    const run = await startLive(join(dir, 'server.trace'));
    const { page, errors } = await openViewer(browser, run.viewerUrl);
    let state = await pageState(page);
    expect(state.live).toBe('running');
    expect(state.followLive).toBe(true);
    expect(await page.locator('.live-state').textContent()).toMatch(/^● Live/);
    const before = state.tasks;

    // The load runs; the page's task count grows while it does (before the process exits).
    const load = runLoad(run.appUrl, { REQUESTS: '300', CONNECTIONS: '5' });
    await expect.poll(async () => (await pageState(page)).tasks, { timeout: 15_000, interval: 200 }).toBeGreaterThan(before + 50);
    const midLoad = (await pageState(page)).tasks;
    await expect.poll(async () => (await pageState(page)).tasks, { timeout: 15_000, interval: 200 }).toBeGreaterThan(midLoad + 50);
    const sent = await load;
    expect(Object.values(sent).every((r) => r.errors === 0)).toBe(true);

    // One more blocking request: its stretch is on the page within 2 s, named at its line.
    const known = (await pageState(page)).blocking.length;
    const sentAt = performance.now();
    expect((await fetch(`${run.appUrl}/block`)).status).toBe(200);
    await expect
      .poll(async () => (await pageState(page)).blocking.length, { timeout: 5000, interval: 50 })
      .toBeGreaterThan(known);
    const shownAfterMs = performance.now() - sentAt;
    console.log(`the blocking request's stretch was on the live page ${shownAfterMs.toFixed(0)} ms after it was sent`);
    expect(shownAfterMs).toBeLessThan(2000);
    state = await pageState(page);
    const newest = state.blocking.reduce((a, b) => (b.startMs > a.startMs ? b : a));
    expect(newest).toMatchObject({ fn: 'renderReport', file: serverScript });
    expect(renderLines).toContain(newest.line);
    expect(await page.locator('.blocking-entry', { hasText: 'renderReport' }).first().textContent()).toMatch(new RegExp(`${serverScript.replace(/[/.]/g, '\\$&')}:(${renderLines.join('|')})`));

    // Following: the window ends at the run's end. A wheel zoom pauses it; new data then leaves the window where it is.
    expect(state.window.to).toBeGreaterThan(state.wall);
    const canvas = (await page.locator('.plot-canvas').boundingBox())!;
    await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + 40);
    await page.mouse.wheel(0, -500);
    await expect.poll(async () => (await pageState(page)).followLive).toBe(false);
    await expect(page.locator('.back-to-live').isVisible()).resolves.toBe(true);
    expect(await page.locator('.live-state').textContent()).toMatch(/^Paused/);
    await page.waitForTimeout(400);
    const paused = await pageState(page);
    for (let i = 0; i < 20; i++) await fetch(`${run.appUrl}/fast`);
    await expect.poll(async () => (await pageState(page)).updates, { timeout: 5000 }).toBeGreaterThan(paused.updates);
    const stillPaused = await pageState(page);
    // (the zoom controller takes the window over through d3's transform: equal to a few ulps)
    expect(stillPaused.window.from).toBeCloseTo(paused.window.from, 6);
    expect(stillPaused.window.to).toBeCloseTo(paused.window.to, 6);
    expect(stillPaused.followLive).toBe(false);
    await page.screenshot({ path: join(shots, 'live-paused.png') });

    // Back to live: following again, the window at the run's end.
    await page.locator('.back-to-live').click();
    state = await pageState(page);
    expect(state.followLive).toBe(true);
    expect(state.window.to).toBeGreaterThan(state.wall);
    expect(await page.locator('.back-to-live').isVisible()).toBe(false);
    // A selection pauses too: a click on a lane label (the lanes move as the run grows, so where one is now, not a wait for it to stand still).
    const label = (await page.locator('.lane.task').last().boundingBox())!;
    await page.mouse.click(label.x + 30, label.y + label.height / 2);
    await expect.poll(async () => (await pageState(page)).followLive).toBe(false);
    await page.locator('.back-to-live').click();
    await page.screenshot({ path: join(shots, 'live-following.png') });

    // Ctrl-C: the script stops, the report comes out, the page shows the complete run.
    run.child.kill('SIGINT');
    await expect.poll(async () => (await pageState(page)).live, { timeout: 20_000 }).toBe('ended');
    await expect.poll(() => run.stderr().includes('the run has ended'), { timeout: 20_000 }).toBe(true);
    const report = JSON.parse(run.stdout().trim().split('\n').at(-1)!) as ReportJson;
    expect(report.signal).toBe('SIGINT');
    const calls = (name: string) => report.handlers.find((h) => h.name === name)?.count ?? 0;
    expect(calls('fastRoute')).toBe(sent['/fast']!.requests + 20);
    expect(calls('slowRoute')).toBe(sent['/slow']!.requests);
    expect(calls('blockingRoute')).toBe(sent['/block']!.requests + 1);
    const slow = report.handlers.find((h) => h.name === 'slowRoute')!;
    console.log(`/slow: async-prof p50 ${slow.p50Ms} ms, p99 ${slow.p99Ms} ms; autocannon p50 ${sent['/slow']!.p50} ms, p99 ${sent['/slow']!.p99} ms`);
    expect(slow.p50Ms).toBeGreaterThanOrEqual(40);
    // Each request as a span, per route (test/http-requests.test.ts holds them to autocannon's figures).
    const requests = (route: string) => report.requests.find((r) => r.route === route)?.count ?? 0;
    expect(requests('GET /fast')).toBe(sent['/fast']!.requests + 20);
    expect(requests('GET /slow')).toBe(sent['/slow']!.requests);
    expect(requests('GET /block')).toBe(sent['/block']!.requests + 1);
    expect(await page.locator('.live-state').textContent()).toBe('Run ended · showing all of it');
    // (open at first when a function was called 20 times or more)
    if ((await page.locator('details.handlers').getAttribute('open')) === null) await page.locator('.handlers-summary').click();
    await expect.poll(() => page.locator('.requests-table tbody tr').count()).toBe(3);
    expect(await page.locator('.requests-table').isVisible()).toBe(true);
    expect(await page.locator('.requests-table').textContent()).toContain('GET /slow');
    await expect.poll(async () => (await pageState(page)).tasks).toBe(report.tasks.length);
    await page.screenshot({ path: join(shots, 'live-ended.png') });
    // Still served until a second Ctrl-C; the script's own exit code (killed by SIGINT) comes back.
    expect((await fetch(`${run.viewerUrl}data/view.bin`)).status).toBe(200);
    expect(await statusWithHost(`${run.viewerUrl}live/events`, 'attacker.example')).toBe(403);
    expect(await statusWithHost(`${run.viewerUrl}%2e%2e/package.json`, new URL(run.viewerUrl).host)).toBe(404);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    expect(errors).toEqual([]);
  }, 120_000);

  it('with a short horizon, shows the last seconds in full and older time as aggregates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'async-prof-live-'));
    const run = await startLive(join(dir, 'server.trace'), ['--live-horizon', '2s']);
    const { page, errors } = await openViewer(browser, run.viewerUrl);
    const sent = await runLoad(run.appUrl, { DURATION: '6', CONNECTIONS: '4' });
    const history = () =>
      page.evaluate(() => {
        const { store } = window.asyncProfViewer!;
        const h = store.state.trace.header.history;
        return h ? { untilMs: h.untilMs, intervalMs: h.intervalMs, rows: h.rows.length, folded: h.foldedTasks, requests: h.rows.reduce((n, r) => n + r.requests, 0), busy: Math.max(...h.rows.map((r) => r.busyShare)), wall: store.state.trace.wall, tasks: store.state.trace.n } : null;
      });
    await expect.poll(async () => (await history())?.folded ?? 0, { timeout: 15_000, interval: 200 }).toBeGreaterThan(100);
    const h = (await history())!;
    console.log(`live page with a 2 s horizon: ${h.tasks} tasks in full, ${h.folded} folded into ${h.rows} rows of ${h.intervalMs} ms; ${JSON.stringify(sent)}`);
    expect(h.intervalMs).toBe(1000);
    // The horizon is the newest event less 2 s; the page's run ends at its newest event.
    expect(h.wall - h.untilMs).toBeGreaterThanOrEqual(1900);
    expect(h.wall - h.untilMs).toBeLessThan(2600);
    expect(h.requests).toBeGreaterThan(50);
    expect(h.busy).toBeGreaterThan(0);
    // Every task of the run is either on the page or folded (a few pending at the horizon are both: kept whole).
    await page.screenshot({ path: join(shots, 'live-horizon.png') });
    run.child.kill('SIGINT');
    await expect.poll(async () => (await pageState(page)).live, { timeout: 20_000 }).toBe('ended');
    // The ended run is the whole run again, with no aggregates (once the page has fetched it).
    await expect.poll(history, { timeout: 20_000 }).toBeNull();
    const report = JSON.parse(run.stdout().trim().split('\n').at(-1)!) as ReportJson;
    expect(report.tasks.length).toBeGreaterThanOrEqual(h.tasks + h.folded - 20);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    expect(errors).toEqual([]);
  }, 120_000);
});
