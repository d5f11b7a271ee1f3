// Seed 000 (advanced path), Exercise 7: Rate Limiter & Throttling.
// A token-bucket AsyncRateLimiter written from scratch (rate per period, burst size, FIFO waiters),
// used against a real HTTP API on 127.0.0.1 that enforces its own limits with the same bucket and
// answers 429 when a client goes over. Four parts:
//   1. no limiter: 20 requests at once, the API rejects everything past its burst;
//   2. with the limiter (10 req/s, burst 4): the burst goes out at once, then one request every
//      0.1 s, none rejected, 1.6 s in all;
//   3. retry with exponential backoff (0.25, 0.5, 1.0 s) against an endpoint that fails 3 times;
//   4. two rate-limit tiers (free: 2 req/s, pro: 10 req/s) running side by side.
// Timeline: in part 2, four request tasks start together, then the rest start 0.1 s apart
// (a staircase); in part 3, three growing gaps between attempts; in part 4 the free tier's
// requests are 0.5 s apart while the pro tier's finish almost at once.
import { scaled } from './lib/env.js';
import { runMain, startLocalServer, stopwatch } from './lib/course.js';
import { setTimeout as sleepMs } from 'node:timers/promises';

/** A token bucket: holds up to `burst` tokens, refilled at `rate` tokens per `per` course seconds. */
class TokenBucket {
  private tokens: number;
  private last = performance.now();
  private readonly tokensPerMs: number;

  constructor(
    readonly rate: number,
    readonly per = 1,
    readonly burst = rate,
  ) {
    this.tokens = burst;
    this.tokensPerMs = rate / scaled(per);
  }

  private refill(): void {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + (now - this.last) * this.tokensPerMs);
    this.last = now;
  }

  /** Takes a token if one is there (no waiting). */
  tryTake(): boolean {
    this.refill();
    if (this.tokens >= 1 - 1e-9) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }

  /** Real milliseconds until the next token. */
  msUntilToken(): number {
    this.refill();
    return Math.max(0, (1 - this.tokens) / this.tokensPerMs);
  }
}

/** Waits as needed to stay within the rate; callers are served first come, first served. */
class AsyncRateLimiter {
  private readonly bucket: TokenBucket;
  private tail: Promise<void> = Promise.resolve();

  constructor(rate: number, per = 1, burst = rate) {
    this.bucket = new TokenBucket(rate, per, burst);
  }

  acquire(): Promise<void> {
    const turn = this.tail.then(async () => {
      while (!this.bucket.tryTake()) await sleepMs(this.bucket.msUntilToken());
    });
    this.tail = turn;
    return turn;
  }

  /** The `async with limiter:` of the seed: acquire, then run `fn`. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    return fn();
  }
}

/** Published API limits, per API key. Clients keep one token of headroom for network jitter. */
const apiLimits: Record<string, { rate: number; burst: number }> = {
  'no-limiter': { rate: 10, burst: 5 },
  limited: { rate: 10, burst: 5 },
  free: { rate: 2, burst: 2 },
  pro: { rate: 10, burst: 6 },
};

async function startApi() {
  const buckets = new Map<string, TokenBucket>();
  const flakyCalls = new Map<string, number>();
  return startLocalServer((req, res) => {
    const key = String(req.headers['x-api-key'] ?? 'anonymous');
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/flaky') {
      // Fails the first three calls per key with 503, then works.
      const calls = (flakyCalls.get(key) ?? 0) + 1;
      flakyCalls.set(key, calls);
      res.writeHead(calls <= 3 ? 503 : 200).end();
      return;
    }
    const limit = apiLimits[key];
    if (limit) {
      let bucket = buckets.get(key);
      if (!bucket) buckets.set(key, (bucket = new TokenBucket(limit.rate, 1, limit.burst)));
      if (!bucket.tryTake()) {
        res.writeHead(429, { 'retry-after': '1' }).end('rate limited');
        return;
      }
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
}

async function callApi(baseUrl: string, key: string, path = '/data'): Promise<number> {
  const response = await fetch(`${baseUrl}${path}`, { headers: { 'x-api-key': key } });
  await response.arrayBuffer();
  return response.status;
}

/** Retries `fn` while it returns a retryable status, waiting base * 2^attempt between tries. */
async function withBackoff(
  fn: () => Promise<number>,
  { retries = 5, baseSeconds = 0.25 } = {},
): Promise<number> {
  const elapsed = stopwatch();
  for (let attempt = 1; ; attempt++) {
    const status = await fn();
    const retryable = status === 429 || status >= 500;
    if (!retryable || attempt > retries) {
      console.log(`Attempt ${attempt}: ${status} after ${elapsed().toFixed(2)} s`);
      return status;
    }
    const backoff = baseSeconds * 2 ** (attempt - 1);
    console.log(`Attempt ${attempt}: ${status}, retrying in ${backoff.toFixed(2)} s`);
    await sleepMs(scaled(backoff));
  }
}

async function burst(baseUrl: string, key: string, count: number, limiter?: AsyncRateLimiter) {
  const elapsed = stopwatch();
  const sentAt: number[] = [];
  const statuses = await Promise.all(
    Array.from({ length: count }, async () => {
      if (limiter) await limiter.acquire();
      sentAt.push(elapsed());
      return callApi(baseUrl, key);
    }),
  );
  return { statuses, sentAt, seconds: elapsed() };
}

async function main(): Promise<void> {
  const api = await startApi();
  try {
    await callApi(api.baseUrl, 'warm-up'); // loads Node's HTTP client before anything is timed
    console.log('=== Async Rate Limiter (token bucket) ===');
    console.log('API limit: 10 requests/s, burst 5 (answers 429 above it)');

    console.log('\n--- 20 requests without a limiter ---');
    const unlimited = await burst(api.baseUrl, 'no-limiter', 20);
    const rejected = unlimited.statuses.filter((s) => s === 429).length;
    console.log(`Accepted: ${20 - rejected}, rejected with 429: ${rejected}`);

    console.log('\n--- 20 requests through AsyncRateLimiter(rate=10, per=1, burst=4) ---');
    const limited = await burst(api.baseUrl, 'limited', 20, new AsyncRateLimiter(10, 1, 4));
    console.log(`Send times: ${limited.sentAt.map((t) => t.toFixed(2)).join(' ')}`);
    console.log(`Accepted: ${limited.statuses.filter((s) => s === 200).length}, rejected with 429: ${limited.statuses.filter((s) => s === 429).length}`);
    console.log(`20 requests in ${limited.seconds.toFixed(2)} seconds (token bucket predicts ${((20 - 4) / 10).toFixed(2)})`);

    console.log('\n--- Retry with exponential backoff ---');
    await withBackoff(() => callApi(api.baseUrl, 'backoff', '/flaky'));

    console.log('\n--- Two tiers side by side, 6 requests each ---');
    const tiers = [
      { key: 'free', limiter: new AsyncRateLimiter(2, 1, 1) },
      { key: 'pro', limiter: new AsyncRateLimiter(10, 1, 5) },
    ];
    const results = await Promise.all(tiers.map(({ key, limiter }) => burst(api.baseUrl, key, 6, limiter)));
    tiers.forEach(({ key }, i) => {
      const { rate, burst: apiBurst } = apiLimits[key]!;
      const r = results[i]!;
      const ok = r.statuses.filter((s) => s === 200).length;
      const predicted = Math.max(0, 6 - (apiBurst - 1)) / rate;
      console.log(`${key}: ${ok}/6 accepted in ${r.seconds.toFixed(2)} seconds (${rate} req/s, burst ${apiBurst - 1}; predicted ${predicted.toFixed(2)})`);
    });
  } finally {
    await api.close();
  }
}

runMain(main);
