// `run --live --keep` (issue 17): the live page's Snapshot button writes the flight recorder's
// window as a trace that `report` reads; the endpoint takes requests from the page only (its own
// Origin and header), so another site cannot make the server write files.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportJson } from '../src/report/report-json.js';
import { runCli } from './helpers/cli.js';
import { assertBuilt, cli, launchBrowser, openViewer, repoRoot } from './fixtures/viewer/harness.js';

let browser: Browser;

beforeAll(async () => {
  assertBuilt();
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** A POST to the snapshot endpoint with these headers: its status. */
function post(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('run --live --keep: the Snapshot button', () => {
  it('writes the window so far as a trace from the page, and refuses requests that are not the page\'s', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'async-prof-live-snapshot-'));
    const child = spawn(process.execPath, [cli, 'run', '--live', '--keep', '2s', '--no-open', '--port', '0', '--out', join(dir, 'ticker.trace'), join('test', 'fixtures', 'flight', 'ticker.ts')], {
      cwd: repoRoot,
      env: { ...process.env, BROWSER: 'none', RUN_SECONDS: '30' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const exited = new Promise<number | null>((r) => child.on('close', r));
    try {
      await expect.poll(() => /^http:\/\/127\.0\.0\.1:\d+\/$/m.test(stdout), { timeout: 30_000 }).toBe(true);
      const url = /^(http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(stdout)![1]!;
      const { page, errors } = await openViewer(browser, url);
      await page.waitForTimeout(3000);
      const button = page.locator('.take-snapshot');
      expect(await button.isVisible()).toBe(true);
      await button.click();
      await expect.poll(() => page.evaluate(() => window.asyncProfViewer!.store.state.snapshot?.state), { timeout: 15_000 }).toBe('done');
      const path = await page.evaluate(() => window.asyncProfViewer!.store.state.snapshot!.text);
      expect(await page.locator('.snapshot-state').textContent()).toBe(`snapshot: ${path}`);
      expect(existsSync(path)).toBe(true);
      const report = await runCli(['report', '--json', path]);
      expect(report.code, report.stderr).toBe(0);
      const json = JSON.parse(report.stdout) as ReportJson;
      expect(json.handlers.find((h) => h.name === 'handle')!.count).toBeGreaterThan(50);
      expect(json.warnings.some((w) => w.includes('while the process was running'))).toBe(true);

      // Not from the page: no header, another Origin, no Origin.
      const host = new URL(url).host;
      const endpoint = `${url}live/snapshot`;
      expect(await post(endpoint, { Origin: `http://${host}` })).toBe(403);
      expect(await post(endpoint, { Origin: 'http://attacker.example', 'X-Async-Prof-Live': 'snapshot' })).toBe(403);
      expect(await post(endpoint, { 'X-Async-Prof-Live': 'snapshot' })).toBe(403);
      expect(await post(endpoint, { Origin: `http://${host}`, 'X-Async-Prof-Live': 'snapshot', Host: 'attacker.example' })).toBe(403);
      expect(errors).toEqual([]);
    } finally {
      child.kill('SIGINT');
      setTimeout(() => child.kill('SIGINT'), 3000).unref();
      await exited;
    }
  }, 90_000);
});
