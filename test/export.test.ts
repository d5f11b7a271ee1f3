// Exports of a real run: the self-contained HTML opens from file:// with the network cut off and
// draws the same timeline; the Chrome trace follows the Trace Event Format (checked structurally).
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, fixture, inkShare, lane, launchBrowser, recordTrace, runCli, tempDir, waitForRange } from './fixtures/viewer/harness.js';

let dir: string;
let coffee: string;
let blocking: string;
let browser: Browser;

interface TraceEvent {
  ph: string;
  ts: number;
  pid: number;
  tid: number;
  name?: string;
  cat?: string;
  id?: string;
  dur?: number;
  args?: Record<string, unknown>;
}

beforeAll(async () => {
  assertBuilt();
  dir = tempDir('export');
  [coffee, blocking] = await Promise.all([recordTrace('samples/coffee-shop.ts', join(dir, 'coffee.trace')), recordTrace(fixture('blocking.ts'), join(dir, 'blocking.trace'))]);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('async-prof export --html', () => {
  it('writes one file that opens from file:// with no network and renders the timeline', async () => {
    const out = join(dir, 'coffee.html');
    const result = await runCli(['export', coffee, '--html', out]);
    expect(result.code, result.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+stylesheet/);
    expect(html).toContain('Content-Security-Policy');

    const context = await browser.newContext({ viewport: { width: 1300, height: 850 }, offline: true });
    const requests: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      requests.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(out).href);
    await page.waitForSelector('body[data-ready]', { timeout: 30_000 });
    for (const name of ['coffeeShop', 'makeEspresso', 'makeLatte', 'makeCappuccino']) expect(await lane(page, name).isVisible()).toBe(true);
    expect(await page.locator('[data-stat="tasks"] .card-value').textContent()).toBe('7');
    expect(await inkShare(page)).toBeGreaterThan(0.03);
    // Interactive as served: zoom with the keyboard.
    await page.keyboard.press('w');
    await waitForRange(page, ([a, b]) => b - a > 0 && b - a < 600);
    await page.screenshot({ path: join(dir, 'coffee-export.png') });
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('takes --format html <file> and infers the format from the extension', async () => {
    const a = join(dir, 'a.html');
    const b = join(dir, 'b.html');
    expect((await runCli(['export', coffee, '--format', 'html', a])).code).toBe(0);
    expect((await runCli(['export', coffee, b])).code).toBe(0);
    expect(readFileSync(a, 'utf8').length).toBeGreaterThan(50_000);
    expect(existsSync(b)).toBe(true);
  });

  it('rejects a missing or ambiguous output with exit 2 and one line', async () => {
    for (const args of [
      ['export', coffee],
      ['export', coffee, '--format', 'chrome'],
      ['export', coffee, '--format', 'svg', join(dir, 'x.svg')],
      ['export', coffee, join(dir, 'x.txt')],
      ['export', coffee, '--html', join(dir, 'x.html'), join(dir, 'y.json')],
      ['export', coffee, '--html', join(dir, 'no', 'such', 'dir', 'x.html')],
    ]) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(2);
      // One line (commander's parse errors add its usual "--help" hint).
      const lines = result.stderr.trim().split('\n').filter((l) => !l.startsWith('(run async-prof --help'));
      expect(lines, args.join(' ')).toHaveLength(1);
    }
    expect((await runCli(['export', join(dir, 'missing.trace'), '--html', join(dir, 'm.html')])).code).toBe(1);
  });
});

describe('async-prof export --format chrome', () => {
  async function exportChrome(trace: string, name: string): Promise<{ traceEvents: TraceEvent[]; displayTimeUnit?: string }> {
    const out = join(dir, name);
    const result = await runCli(['export', trace, '--format', 'chrome', out]);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(readFileSync(out, 'utf8'));
  }

  it('is structurally valid Trace Event Format; overlapping tasks are async slices', async () => {
    const json = await exportChrome(coffee, 'coffee.json');
    const events = json.traceEvents;
    expect(Array.isArray(events)).toBe(true);
    expect(events.length).toBeGreaterThan(20);
    for (const e of events) {
      expect(typeof e.ph, JSON.stringify(e)).toBe('string');
      expect(Number.isFinite(e.ts), JSON.stringify(e)).toBe(true);
      expect(Number.isInteger(e.pid), JSON.stringify(e)).toBe(true);
      expect(Number.isInteger(e.tid), JSON.stringify(e)).toBe(true);
      expect(['M', 'b', 'e', 'X', 'C', 'i', 'n', 's', 'f']).toContain(e.ph);
      if (e.ph === 'X') expect(e.dur).toBeGreaterThanOrEqual(0);
      if (e.ph === 'b' || e.ph === 'e') {
        expect(typeof e.id).toBe('string');
        expect(typeof e.cat).toBe('string');
      }
    }

    // Async begin/end pairs nest per (cat, id), with matching names, ends never before begins.
    const stacks = new Map<string, TraceEvent[]>();
    const spans: { name: string; start: number; end: number; args?: Record<string, unknown> }[] = [];
    for (const e of events.filter((x) => x.ph === 'b' || x.ph === 'e')) {
      const key = `${e.cat}/${e.id}`;
      const stack = stacks.get(key) ?? [];
      stacks.set(key, stack);
      if (e.ph === 'b') stack.push(e);
      else {
        const begin = stack.pop();
        expect(begin, `unmatched end ${JSON.stringify(e)}`).toBeDefined();
        expect(e.name).toBe(begin!.name);
        expect(e.ts).toBeGreaterThanOrEqual(begin!.ts);
        if (stack.length === 0) spans.push({ name: begin!.name!, start: begin!.ts, end: e.ts, args: begin!.args });
      }
    }
    for (const [key, stack] of stacks) expect(stack, key).toEqual([]);

    // The tasks: names and locations in args, times in microseconds.
    const task = (name: string) => spans.find((s) => s.name === name)!;
    for (const name of ['coffeeShop', 'makeEspresso', 'makeLatte', 'makeCappuccino']) {
      expect(task(name), name).toBeDefined();
      expect(String(task(name).args?.location)).toMatch(/^samples\/coffee-shop\.ts:\d+$/);
    }
    const latte = task('makeLatte');
    expect(latte.end - latte.start).toBeGreaterThan(400_000); // 5 s course time at scale 0.1 = 500 ms
    expect(latte.end - latte.start).toBeLessThan(700_000);
    // They overlap, and none of them is an X slice (X slices must nest per thread).
    const espresso = task('makeEspresso');
    expect(espresso.start).toBeLessThan(latte.end);
    expect(latte.start).toBeLessThan(espresso.end);
    expect(events.some((e) => e.ph === 'X' && (e.name === 'makeLatte' || e.name === 'makeEspresso') && e.tid === 1)).toBe(false);

    // Run and wait segments nested in the tasks, and the lag counter.
    expect(events.some((e) => e.ph === 'b' && e.name === 'run')).toBe(true);
    expect(events.some((e) => e.ph === 'b' && e.name === 'wait' && String(e.args?.awaitAt).startsWith('samples/coffee-shop.ts:'))).toBe(true);
    expect(events.some((e) => e.ph === 'C' && e.name === 'event-loop lag (ms)')).toBe(true);
    expect(events.some((e) => e.ph === 'C' && e.name === 'tasks in flight')).toBe(true);

    // X slices on any one thread never partially overlap.
    const byThread = new Map<string, TraceEvent[]>();
    for (const e of events.filter((x) => x.ph === 'X')) {
      const key = `${e.pid}/${e.tid}`;
      byThread.set(key, [...(byThread.get(key) ?? []), e]);
    }
    for (const [key, list] of byThread) {
      list.sort((a, b) => a.ts - b.ts);
      for (let i = 1; i < list.length; i++) expect(list[i]!.ts, key).toBeGreaterThanOrEqual(list[i - 1]!.ts + list[i - 1]!.dur! - 0.001);
    }
  });

  it('gives each worker thread tracks of its own and each Node child process a process of its own', async () => {
    const [pool, forked] = await Promise.all([
      recordTrace('test/fixtures/threads/pool.mjs', join(dir, 'pool.trace')),
      recordTrace('test/fixtures/processes/fork-children.mjs', join(dir, 'fork.trace')),
    ]);
    const threads = (await exportChrome(pool, 'pool.json')).traceEvents;
    const names = threads.filter((e) => e.ph === 'M' && e.name === 'thread_name');
    const workerTracks = names.filter((e) => /^worker \d+ \(blocking, lag\)$/.test(String(e.args?.name)));
    expect(workerTracks).toHaveLength(4);
    expect(new Set(names.map((e) => `${e.pid}/${e.tid}`)).size).toBe(names.length);
    for (const track of workerTracks) {
      expect(track.pid).toBe(1);
      // Each worker's jobs are tasks on its track, and its blocking stretches are there too.
      const solves = threads.filter((e) => e.ph === 'b' && e.name === 'solve' && e.tid === track.tid);
      expect(solves).toHaveLength(2);
      const stretches = threads.filter((e) => e.ph === 'X' && e.cat === 'blocking' && e.tid === track.tid);
      expect(stretches.length).toBeGreaterThan(0);
      for (const x of stretches) expect(x.name).toBe('blocking: crunch');
    }
    // Task ids are per thread; the slices' ids stay unique in the process.
    const begins = threads.filter((e) => e.ph === 'b' && e.cat === 'task' && e.args?.taskId !== undefined);
    expect(begins.length).toBeGreaterThan(16);
    expect(new Set(begins.map((e) => `${e.pid}/${e.id}`)).size).toBe(begins.length);
    expect(threads.some((e) => e.ph === 'C' && /^worker \d+: event-loop lag \(ms\)$/.test(e.name!))).toBe(true);

    const children = (await exportChrome(forked, 'fork.json')).traceEvents;
    const processes = children.filter((e) => e.ph === 'M' && e.name === 'process_name');
    expect(processes.map((e) => e.pid)).toEqual([1, 2, 3]);
    for (const p of processes.slice(1)) {
      expect(String(p.args?.name)).toMatch(/^child process \d+: test\/fixtures\/processes\/fork-children\.mjs child$/);
      expect(children.filter((e) => e.ph === 'b' && e.pid === p.pid && e.name === 'double')).toHaveLength(1);
    }
    // Messages between the processes: a flow from the sender's slice to the receiver's, one way
    // each (the parent's question to a child, the child's answer back).
    const flows = children.filter((e) => e.ph === 's' || e.ph === 'f');
    const ends = new Map<unknown, TraceEvent[]>();
    for (const e of flows) ends.set(e.id, [...(ends.get(e.id) ?? []), e]);
    expect(ends.size).toBeGreaterThan(2);
    for (const [, pair] of ends) {
      expect(pair.map((e) => e.ph)).toEqual(['s', 'f']);
      expect(pair[0]!.pid).not.toBe(pair[1]!.pid);
      expect(pair[1]!.ts).toBeGreaterThanOrEqual(pair[0]!.ts - 1000);
      // Each end sits on a message slice of its thread.
      for (const end of pair) expect(children.some((x) => x.ph === 'X' && x.cat === 'message' && x.pid === end.pid && x.tid === end.tid && x.ts === end.ts)).toBe(true);
    }
    const sends = children.filter((e) => e.ph === 'X' && e.cat === 'message' && e.pid === 1 && /^send to child \d+$/.test(e.name!));
    expect(sends.length).toBeGreaterThanOrEqual(2);
    expect(String(sends[0]!.args?.task)).toMatch(/^ask \(test\/fixtures\/processes\/fork-children\.mjs:\d+\)$/);
  });

  it('puts blocking stretches on the main thread with their function and line', async () => {
    const json = await exportChrome(blocking, 'blocking.json');
    const names = json.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name');
    const main = names.find((e) => String(e.args?.name).startsWith('main thread'))!;
    expect(main).toBeDefined();
    const stretch = json.traceEvents.find((e) => e.ph === 'X' && e.cat === 'blocking')!;
    expect(stretch).toBeDefined();
    expect(stretch.tid).toBe(main.tid);
    expect(stretch.name).toContain('crunchNumbers');
    expect(String(stretch.args?.location)).toMatch(/^test\/fixtures\/viewer\/blocking\.ts:\d+$/);
    expect(stretch.dur!).toBeGreaterThan(100_000); // ~120 ms
    const rejected = json.traceEvents.find((e) => e.ph === 'b' && e.name === 'failingJob');
    expect(rejected?.args?.outcome).toBe('rejected');
  });
});
