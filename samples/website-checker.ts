// Seed 000, Exercise 2: Website Status Checker.
// Five sites are checked at the same time with real HTTP requests (fetch) to a local server on
// 127.0.0.1 that stands in for the internet: each "site" answers after a seeded random delay of
// 1-3 s, and is up (200) with 80 % probability or down (503) otherwise. Each request also carries
// an AbortSignal.timeout, so a hung site would count as offline instead of stalling the report.
// Timeline: five checkWebsite tasks (each an HTTP request) start together and overlap; the
// report comes after the slowest one, so "Response time" equals the longest delay, not the sum.
import { random, scaled } from './lib/env.js';
import { runMain, startLocalServer, stopwatch } from './lib/course.js';
import { setTimeout as delay } from 'node:timers/promises';

const websites = ['google.com', 'github.com', 'stackoverflow.com', 'python.org', 'asyncio-docs.com'];

/** What each simulated site will do, drawn from SAMPLE_SEED: delay uniform in [1, 3) s, up with p = 0.8. */
function planSites(sites: string[]): Map<string, { delaySeconds: number; online: boolean }> {
  const rng = random();
  const plan = new Map<string, { delaySeconds: number; online: boolean }>();
  for (const site of sites) {
    const delaySeconds = 1 + 2 * rng();
    const online = rng() < 0.8;
    plan.set(site, { delaySeconds, online });
  }
  return plan;
}

async function checkWebsite(baseUrl: string, url: string): Promise<[string, boolean]> {
  console.log(`Checking ${url}...`);
  let online: boolean;
  try {
    const response = await fetch(`${baseUrl}/${url}`, { signal: AbortSignal.timeout(scaled(5)) });
    await response.arrayBuffer();
    online = response.ok;
  } catch {
    online = false; // timeout or connection error: the site is not reachable
  }
  console.log(online ? `✅ ${url} is online` : `❌ ${url} is offline`);
  return [url, online];
}

async function monitorWebsites(): Promise<void> {
  const plan = planSites(websites);
  const internet = await startLocalServer((req, res) => {
    if (req.url === '/health') {
      res.end('ok');
      return;
    }
    const site = plan.get((req.url ?? '/').slice(1));
    if (!site) {
      res.writeHead(404).end();
      return;
    }
    delay(scaled(site.delaySeconds)).then(() => {
      res.writeHead(site.online ? 200 : 503, { 'content-type': 'text/plain' });
      res.end(site.online ? 'ok' : 'unavailable');
    });
  });

  try {
    // The first fetch() of a process loads Node's HTTP client (tens of ms): do it before timing.
    await (await fetch(`${internet.baseUrl}/health`)).text();
    const elapsed = stopwatch();
    const results = await Promise.all(websites.map((url) => checkWebsite(internet.baseUrl, url)));
    const responseTime = elapsed();
    const online = results.filter(([, up]) => up).length;

    console.log('\n=== Website Status Report ===');
    console.log(`Online: ${online}/${results.length}`);
    console.log(`Offline: ${results.length - online}/${results.length}`);
    console.log(`Response time: ${responseTime.toFixed(1)} seconds`);
  } finally {
    await internet.close();
  }
}

runMain(monitorWebsites);
