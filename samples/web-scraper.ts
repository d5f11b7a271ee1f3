// Seed 000 (advanced path), Exercise 9: Web Scraper with Concurrency Control.
// Crawls ten "domains" (served by one local HTTP server on 127.0.0.1; the domain is the first
// path segment) with politeness rules:
//   - robots.txt is read first and its Disallow rules are obeyed (no /private/ page is fetched);
//   - per-domain rate limit: requests to one domain are serial (a p-queue of concurrency 1 per
//     domain), each starting at least 0.5 s after the previous answer from that domain;
//   - global concurrency limit: at most 4 requests in flight over all domains (p-limit);
//   - retries: a 5xx answer is retried up to 3 attempts with exponential backoff (0.5 s, 1 s);
//   - results are saved asynchronously to a JSON-lines file, with a progress line every 25 pages.
// Server latency (0.05-0.15 s) and which pages fail are derived from SAMPLE_SEED and the URL.
// Timeline: ten crawl lanes (one per domain) whose requests are spaced by 0.5 s pauses, never more
// than 4 fetches overlapping in all; retried pages show a longer gap before the next attempt.
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import PQueue from 'p-queue';
import { random, scaled, SEED, sleep } from './lib/env.js';
import { runMain, startLocalServer, stopwatch } from './lib/course.js';
import { setTimeout as sleepMs } from 'node:timers/promises';

const DOMAINS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'].map(
  (name) => `${name}.example`,
);
const PAGES_PER_SITE = 10; // "/" and /page/1 .. /page/9
const ALWAYS_BROKEN = 'juliet.example/page/9';

/** A number in [0, 1) fixed by SAMPLE_SEED and a string (FNV-1a hash into the seeded PRNG). */
function chance(key: string): number {
  let hash = 0x811c9dc5;
  for (const ch of key) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193);
  return random((hash ^ SEED) >>> 0)();
}

// ---------------------------------------------------------------- the "internet"
async function startWebServer() {
  const seen = { total: 0, robots: 0, pages: 0, private: 0, inFlight: 0, peakInFlight: 0, minGap: Infinity };
  const lastArrival = new Map<string, number>();
  const attempts = new Map<string, number>();
  const server = await startLocalServer((req, res) => {
    if (req.url === '/health') {
      res.end('ok');
      return;
    }
    const [, domain = '', ...rest] = (req.url ?? '/').split('/');
    const path = `/${rest.join('/')}`;
    const now = performance.now();
    const last = lastArrival.get(domain);
    if (last !== undefined) seen.minGap = Math.min(seen.minGap, now - last);
    lastArrival.set(domain, now);
    seen.total++;
    seen.peakInFlight = Math.max(seen.peakInFlight, ++seen.inFlight);
    res.on('close', () => seen.inFlight--);

    const key = `${domain}${path}`;
    const attempt = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, attempt);
    const latency = 0.05 + 0.1 * chance(`${key}#${attempt}`);
    sleep(latency).then(() => {
      if (path === '/robots.txt') {
        seen.robots++;
        res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /private/\n');
        return;
      }
      if (path.startsWith('/private/')) seen.private++;
      else seen.pages++;
      const page = path === '/' ? 0 : Number(path.split('/')[2]);
      const broken = key === ALWAYS_BROKEN || (attempt === 1 && chance(key) < 0.15);
      if (!DOMAINS.includes(domain) || Number.isNaN(page) || page >= PAGES_PER_SITE) {
        res.writeHead(404).end();
      } else if (broken) {
        res.writeHead(503).end('try again later');
      } else {
        // Page k links to pages 3k+1 .. 3k+3, back home, and to a private page.
        const links = [1, 2, 3].map((i) => 3 * page + i).filter((p) => p < PAGES_PER_SITE);
        const hrefs = ['/', '/private/admin', ...links.map((p) => `/page/${p}`)];
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(`<html><title>${key}</title><body>${hrefs.map((h) => `<a href="${h}">${h}</a>`).join(' ')}</body></html>`);
      }
    });
  });
  return { server, seen };
}

// ---------------------------------------------------------------- the scraper
interface PageResult {
  url: string;
  title: string;
  links: number;
}

class AsyncWebScraper {
  private readonly globalLimit;
  private readonly lastAnswerAt = new Map<string, number>();
  readonly stats = { scraped: 0, failed: [] as string[], retries: 0, skippedByRobots: 0 };

  constructor(
    private readonly origin: string,
    private readonly save: (page: PageResult) => Promise<void>,
    readonly maxConcurrent = 4,
    readonly delayPerDomain = 0.5,
    readonly maxAttempts = 3,
  ) {
    this.globalLimit = pLimit(maxConcurrent);
  }

  /** Fetches one URL politely: per-domain spacing, the global limit, retries with backoff. */
  async fetchUrl(domain: string, path: string): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      const last = this.lastAnswerAt.get(domain);
      if (last !== undefined) {
        const wait = last + scaled(this.delayPerDomain) - performance.now();
        if (wait > 0) await sleepMs(wait);
      }
      const response = await this.globalLimit(async () => {
        try {
          const r = await fetch(`${this.origin}/${domain}${path}`, { signal: AbortSignal.timeout(scaled(5)) });
          return { status: r.status, ok: r.ok, body: await r.text() };
        } finally {
          // The pause is counted from the end of the previous answer, so the server never sees two
          // requests for one domain closer than delayPerDomain, whatever the network did.
          this.lastAnswerAt.set(domain, performance.now());
        }
      });
      if (response.ok) return response.body;
      if (response.status < 500 || attempt >= this.maxAttempts) {
        throw new Error(`${domain}${path}: HTTP ${response.status} after ${attempt} attempt(s)`);
      }
      this.stats.retries++;
      await sleep(0.5 * 2 ** (attempt - 1)); // exponential backoff before the next attempt
    }
  }

  async scrapeWebsite(domain: string, maxPages = 100): Promise<void> {
    const robots = await this.fetchUrl(domain, '/robots.txt');
    const disallowed = robots
      .split('\n')
      .filter((line) => line.toLowerCase().startsWith('disallow:'))
      .map((line) => line.slice('disallow:'.length).trim())
      .filter(Boolean);

    const queue = new PQueue({ concurrency: 1 }); // one request at a time per domain
    const seen = new Set<string>();
    const skipped = new Set<string>();
    let pages = 0;
    const visit = (path: string): void => {
      if (seen.has(path) || skipped.has(path)) return;
      if (disallowed.some((prefix) => path.startsWith(prefix))) {
        skipped.add(path);
        return;
      }
      if (seen.size >= maxPages) return;
      seen.add(path);
      void queue.add(async () => {
        try {
          const html = await this.fetchUrl(domain, path);
          const title = /<title>(.*?)<\/title>/.exec(html)?.[1] ?? '';
          const links = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
          await this.save({ url: `https://${domain}${path}`, title, links: links.length });
          pages++;
          this.stats.scraped++;
          if (this.stats.scraped % 25 === 0) console.log(`Progress: ${this.stats.scraped} pages scraped`);
          links.forEach(visit);
        } catch (error) {
          this.stats.failed.push(`${domain}${path}`);
        }
      });
    };
    visit('/');
    await queue.onIdle();
    this.stats.skippedByRobots += skipped.size;
    console.log(`${domain}: ${pages} pages, ${skipped.size} skipped by robots.txt`);
  }
}

async function main(): Promise<void> {
  const { server, seen } = await startWebServer();
  const dir = await mkdtemp(join(tmpdir(), 'scraper-'));
  const resultsFile = join(dir, 'results.jsonl');
  const output = await open(resultsFile, 'a');
  try {
    await (await fetch(`${server.baseUrl}/health`)).arrayBuffer(); // loads the HTTP client before timing
    const scraper = new AsyncWebScraper(server.baseUrl, async (page) => {
      await output.write(`${JSON.stringify(page)}\n`);
    });
    console.log('=== Async Web Scraper ===');
    console.log(
      `${DOMAINS.length} domains, at most ${scraper.maxConcurrent} requests at once, ${scraper.delayPerDomain} s between requests to one domain`,
    );
    const elapsed = stopwatch();
    await Promise.all(DOMAINS.map((domain) => scraper.scrapeWebsite(domain)));
    const seconds = elapsed();
    await output.close();
    const saved = (await readFile(resultsFile, 'utf8')).split('\n').filter(Boolean).length;

    const { scraped, failed, retries, skippedByRobots } = scraper.stats;
    console.log('\n=== Summary ===');
    console.log(`Pages scraped: ${scraped}/${scraped + failed.length}`);
    console.log(`Failed after ${scraper.maxAttempts} attempts: ${failed.length}${failed.length ? ` (${failed.join(', ')})` : ''}`);
    console.log(`Retries: ${retries}`);
    console.log(`Skipped by robots.txt: ${skippedByRobots} links`);
    console.log(`Saved ${saved} pages to results.jsonl`);
    console.log(`Time: ${seconds.toFixed(2)} seconds`);
    console.log('\n--- Seen by the server ---');
    console.log(`Requests: ${seen.total} (robots.txt: ${seen.robots}, pages: ${seen.pages}, /private/: ${seen.private})`);
    console.log(`Peak concurrent requests: ${seen.peakInFlight} (limit ${scraper.maxConcurrent})`);
    console.log(
      `Shortest gap between two requests to one domain: ${(seen.minGap / scaled(1)).toFixed(2)} s (policy ${scraper.delayPerDomain} s)`,
    );
  } finally {
    await output.close().catch(() => undefined);
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

runMain(main);
