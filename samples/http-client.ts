// Seed 003 (practice exercises) Exercise 5 "Building an Async HTTP Client" (retries, a rate-limited client, a
// concurrency-limited request manager); seed 002 (lab) Exercise 7 (concurrent scraper), Exercise 8 (managed
// session, fetch with retry) and Exercise 9 (integration: rate-limited crawler + worker pool + retrying API
// client + scheduler); seed 004 (AsyncIO guide) §3 challenge 1 (download texts and write them to files).
// Every request goes to a node:http server this sample starts on 127.0.0.1 (port 0) — never the internet.
//
// Timeline: one 0.1 s request; five requests with at most three in flight (two waves); six requests of a 5 req/s
// client starting 0.2 s apart; a request retried after two 503 answers; three 1 s pages fetched together (1 s);
// three downloads written to disk together; two crawls scheduled together, one of them retried.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import PQueue from 'p-queue';
import { scaled, sleep } from './lib/env.js';
import { isAbortError, stopwatch } from './lib/b-async.js';

// --- the local server -----------------------------------------------------------------------------------------------
interface LocalServer {
  base: string;
  arrivals: Map<string, number[]>; // route -> arrival times (ms)
  peakInFlight: () => number;
  close: () => Promise<void>;
}

async function startLocalServer(): Promise<LocalServer> {
  const arrivals = new Map<string, number[]>();
  const flakyCounts = new Map<string, number>();
  let inFlight = 0;
  let peak = 0;
  const send = (res: ServerResponse, status: number, body: unknown): void => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' });
    res.end(text);
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = url.pathname.split('/').slice(0, 2).join('/');
    arrivals.set(route, [...(arrivals.get(route) ?? []), performance.now()]);
    let m: RegExpMatchArray | null;
    if ((m = url.pathname.match(/^\/posts\/(\d+)$/))) {
      await sleep(0.1);
      const id = Number(m[1]);
      return send(res, 200, { userId: 1, id, title: `post number ${id}`, body: `body of post ${id} `.repeat(5).trim() });
    }
    if ((m = url.pathname.match(/^\/delay\/([\d.]+)$/))) {
      await sleep(Number(m[1]));
      return send(res, 200, { url: url.pathname, delayed: Number(m[1]) });
    }
    if ((m = url.pathname.match(/^\/flaky\/(\w+)$/))) {
      // Fails the first two times for each key, then answers.
      const n = (flakyCounts.get(m[1]!) ?? 0) + 1;
      flakyCounts.set(m[1]!, n);
      await sleep(0.02);
      if (n <= 2) return send(res, 503, { error: 'service unavailable' });
      return send(res, 200, { slideshow: { author: 'Yours Truly', title: 'Sample Slide Show', slides: 2 } });
    }
    if ((m = url.pathname.match(/^\/texts\/(\w+)$/))) {
      await sleep(0.3);
      return send(res, 200, `Text of ${m[1]}\n`.repeat(20));
    }
    if ((m = url.pathname.match(/^\/api\/data\/(\d+)$/))) {
      // item 2 fails once, so the integration shows a retry
      const n = (flakyCounts.get(`data${m[1]}`) ?? 0) + 1;
      flakyCounts.set(`data${m[1]}`, n);
      const id = Number(m[1]);
      await sleep(0.1);
      if (id === 2 && n === 1) return send(res, 500, { error: 'temporary failure' });
      return send(res, 200, { id, values: [3, 1, 4, 1, 5, 9, 2, 6].map((v) => v * id) });
    }
    send(res, 404, { error: 'not found' });
  };
  const server = createServer((req, res) => {
    peak = Math.max(peak, ++inFlight);
    res.on('close', () => inFlight--);
    handle(req, res).catch((error: unknown) => send(res, 500, { error: String(error) }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    base: `http://127.0.0.1:${port}`,
    arrivals,
    peakInFlight: () => peak,
    close: async () => {
      server.closeAllConnections(); // drop idle keep-alive sockets so the process can exit
      server.close();
      await once(server, 'close');
    },
  };
}

// --- the client -----------------------------------------------------------------------------------------------------
interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  url: string;
  headers?: Record<string, string>;
  json?: unknown;
  timeout?: number; // course seconds
  retries?: number;
  retryDelay?: number; // course seconds, grows linearly per attempt as in the seed
}

class Response {
  constructor(
    readonly statusCode: number,
    readonly headers: Record<string, string>,
    readonly content: Buffer,
    readonly url: string,
    readonly elapsedTime: number,
  ) {}
  get text(): string {
    return this.content.toString('utf8');
  }
  json<T = unknown>(): T {
    return JSON.parse(this.text) as T;
  }
}

class HttpError extends Error {
  override name = 'HttpError';
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

class AsyncHttpClient {
  requestCount = 0;
  totalTime = 0;
  // Closing the client aborts anything still in flight, like leaving `async with ClientSession()`.
  readonly #session = new AbortController();

  constructor(readonly defaults: { timeout?: number; retries?: number; onRetry?: (attempt: number, error: Error, wait: number) => void } = {}) {}

  /** `async with AsyncHttpClient() as client:` */
  static async with<R>(options: ConstructorParameters<typeof AsyncHttpClient>[0], body: (client: AsyncHttpClient) => Promise<R>): Promise<R> {
    const client = new AsyncHttpClient(options);
    try {
      return await body(client);
    } finally {
      client.close();
    }
  }

  close(): void {
    this.#session.abort();
  }

  /** One request with retries on network errors, timeouts and 5xx answers. */
  async request(options: RequestOptions): Promise<Response> {
    const retries = options.retries ?? this.defaults.retries ?? 3;
    const timeout = options.timeout ?? this.defaults.timeout ?? 30;
    const elapsed = stopwatch();
    for (let attempt = 1; ; attempt++) {
      try {
        const signal = AbortSignal.any([this.#session.signal, AbortSignal.timeout(scaled(timeout))]);
        const res = await fetch(options.url, {
          method: options.method ?? 'GET',
          headers: { ...(options.json !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
          body: options.json !== undefined ? JSON.stringify(options.json) : undefined,
          signal,
        });
        const content = Buffer.from(await res.arrayBuffer());
        if (res.status >= 500) throw new HttpError(res.status);
        const seconds = elapsed();
        this.requestCount++;
        this.totalTime += seconds;
        return new Response(res.status, Object.fromEntries(res.headers), content, res.url, seconds);
      } catch (error) {
        if (this.#session.signal.aborted || attempt >= retries) throw error;
        if (!(error instanceof HttpError || isAbortError(error) || error instanceof TypeError)) throw error; // TypeError: fetch's network failure
        const wait = (options.retryDelay ?? 0.1) * attempt;
        this.defaults.onRetry?.(attempt, error as Error, wait);
        await sleep(wait);
      }
    }
  }

  get(url: string, options: Omit<RequestOptions, 'url' | 'method'> = {}): Promise<Response> {
    return this.request({ ...options, url, method: 'GET' });
  }
  post(url: string, options: Omit<RequestOptions, 'url' | 'method'> = {}): Promise<Response> {
    return this.request({ ...options, url, method: 'POST' });
  }
}

/**
 * Starts requests no closer together than 1/requestsPerSecond (the seed's lock + last-request time): each request
 * waits its turn in a promise chain (the lock), then sleeps until the interval since the previous start has passed.
 */
class RateLimitedHttpClient extends AsyncHttpClient {
  #turn: Promise<void> = Promise.resolve();
  #lastStart = -Infinity;
  readonly starts: number[] = []; // when each request actually went out (ms)
  constructor(
    readonly requestsPerSecond: number,
    defaults: ConstructorParameters<typeof AsyncHttpClient>[0] = {},
  ) {
    super(defaults);
  }
  override async request(options: RequestOptions): Promise<Response> {
    const previous = this.#turn;
    let done!: () => void;
    this.#turn = new Promise<void>((resolve) => (done = resolve));
    try {
      await previous; // acquire the "lock"
      const wait = this.#lastStart + scaled(1 / this.requestsPerSecond) - performance.now();
      if (wait > 0) await sleep(wait / scaled(1));
      this.#lastStart = performance.now();
      this.starts.push(this.#lastStart);
    } finally {
      done(); // release: the next request may start counting from our start time
    }
    return super.request(options);
  }
}

/** At most `maxConcurrent` requests in flight (the seed's semaphore), via p-limit. */
class ConcurrentRequestManager {
  readonly #limit: ReturnType<typeof pLimit>;
  constructor(readonly maxConcurrent = 10) {
    this.#limit = pLimit(maxConcurrent);
  }
  fetch(client: AsyncHttpClient, url: string): Promise<Response> {
    return this.#limit(() => client.get(url));
  }
  fetchAll(client: AsyncHttpClient, urls: string[]): Promise<PromiseSettledResult<Response>[]> {
    return Promise.allSettled(urls.map((url) => this.fetch(client, url)));
  }
}

// --- 002 exercise 9: the integration project -------------------------------------------------------------------------
class DataProcessor {
  readonly #limit: ReturnType<typeof pLimit>;
  constructor(readonly workers: number) {
    this.#limit = pLimit(workers);
  }
  process(response: Response): Promise<{ url: string; sum: number }> {
    return this.#limit(async () => {
      await sleep(0.05); // analysis
      const data = response.json<{ values: number[] }>();
      return { url: new URL(response.url).pathname, sum: data.values.reduce((a, b) => a + b, 0) };
    });
  }
}

class AsyncWebCrawler {
  readonly client: RateLimitedHttpClient;
  constructor(rateLimit: number, apiRetries: number) {
    this.client = new RateLimitedHttpClient(rateLimit, {
      retries: apiRetries,
      onRetry: (attempt, error) => console.log(`  crawler: ${error.message} on attempt ${attempt}, retrying`),
    });
  }
  async crawlAndProcess(url: string, processor: DataProcessor): Promise<{ url: string; sum: number }> {
    return processor.process(await this.client.get(url));
  }
}

class TaskScheduler {
  readonly #queue = new PQueue({ concurrency: 4 });
  schedule<T>(job: () => Promise<T>): Promise<T> {
    return this.#queue.add(job);
  }
}

function minGap(times: number[] | undefined): number {
  if (!times || times.length < 2) return NaN;
  const sorted = [...times].sort((a, b) => a - b);
  let gap = Infinity;
  for (let i = 1; i < sorted.length; i++) gap = Math.min(gap, sorted[i]! - sorted[i - 1]!);
  return gap / scaled(1);
}

async function main(): Promise<void> {
  const server = await startLocalServer();
  const dir = await mkdtemp(join(tmpdir(), 'async-prof-http-'));
  try {
    console.log('='.repeat(60));
    console.log('ASYNC HTTP CLIENT DEMO');
    console.log('='.repeat(60));
    console.log(`  (local server at ${server.base})`);

    await AsyncHttpClient.with({}, async (client) => {
      console.log('\n1. Single Request');
      console.log('-'.repeat(40));
      try {
        const response = await client.get(`${server.base}/posts/1`, { headers: { Accept: 'application/json' } });
        console.log(`  Status: ${response.statusCode}`);
        console.log(`  Time: ${response.elapsedTime.toFixed(3)}s`); // the first fetch() also loads Node's HTTP client
        console.log(`  Content: ${response.text.slice(0, 100)}...`);
      } catch (error) {
        console.log(`  Error: ${(error as Error).message}`);
      }

      console.log('\n2. Concurrent Requests');
      console.log('-'.repeat(40));
      const urls = [1, 2, 3, 4, 5].map((i) => `${server.base}/posts/${i}`);
      const manager = new ConcurrentRequestManager(3);
      const elapsed = stopwatch();
      const results = await manager.fetchAll(client, urls);
      const seconds = elapsed();
      const successful = results.filter((r) => r.status === 'fulfilled').length;
      console.log(`  Completed: ${successful}/${urls.length} requests`);
      console.log(`  Time: ${seconds.toFixed(3)}s`);
      console.log(`  Server saw at most ${server.peakInFlight()} requests at once`);
    });

    console.log('\n3. Rate-Limited Requests (5 per second)');
    console.log('-'.repeat(40));
    const limited = new RateLimitedHttpClient(5);
    try {
      const elapsed = stopwatch();
      const responses = await Promise.allSettled([1, 2, 3, 4, 5, 6].map((i) => limited.get(`${server.base}/delay/0.05?n=${i}`)));
      console.log(`  Completed: ${responses.filter((r) => r.status === 'fulfilled').length}/6 requests`);
      console.log(`  Time: ${elapsed().toFixed(3)}s`);
      console.log(`  Smallest gap between request starts: ${minGap(limited.starts).toFixed(2)}s`);
      console.log(`  Requests the server received: ${server.arrivals.get('/delay')?.length ?? 0}`);
    } finally {
      limited.close();
    }

    console.log('\n4. Managed session with retries (002 exercise 8)');
    console.log('-'.repeat(40));
    await AsyncHttpClient.with(
      { retries: 3, onRetry: (attempt, error, wait) => console.log(`  attempt ${attempt}: ${error.message}, retrying in ${wait.toFixed(2)}s`) },
      async (session) => {
        const data = await session.get(`${server.base}/flaky/json`);
        console.log(`Fetched data: ${data.text.slice(0, 100)}...`);
      },
    );

    console.log('\n5. Scraper (002 exercise 7)');
    console.log('-'.repeat(40));
    await AsyncHttpClient.with({}, async (client) => {
      const elapsed = stopwatch();
      const pages = await Promise.all([1, 2, 3].map(() => client.get(`${server.base}/delay/1`)));
      console.log(`Scraped ${pages.length} pages`);
      console.log(`  Time: ${elapsed().toFixed(2)}s (each page takes 1s)`);
    });

    console.log('\n6. Download texts to files (004 §3 challenge 1)');
    console.log('-'.repeat(40));
    await AsyncHttpClient.with({}, async (client) => {
      const names = ['alpha', 'beta', 'gamma'];
      const elapsed = stopwatch();
      await Promise.all(
        names.map(async (name) => {
          const response = await client.get(`${server.base}/texts/${name}`);
          await writeFile(join(dir, `${name}.txt`), response.content);
        }),
      );
      const sizes = await Promise.all(names.map((n) => stat(join(dir, `${n}.txt`)).then((s) => s.size)));
      console.log(`Saved ${names.length} files (${sizes.reduce((a, b) => a + b, 0)} bytes) in ${elapsed().toFixed(2)}s`);
    });

    console.log('\n7. Integration (002 exercise 9)');
    console.log('-'.repeat(40));
    const crawler = new AsyncWebCrawler(5, 3);
    const processor = new DataProcessor(3);
    const scheduler = new TaskScheduler();
    try {
      const urls = [`${server.base}/api/data/1`, `${server.base}/api/data/2`];
      const tasks = urls.map((url) => scheduler.schedule(() => crawler.crawlAndProcess(url, processor)));
      const results = await Promise.allSettled(tasks);
      for (const r of results) console.log(`  ${r.status === 'fulfilled' ? `${r.value.url}: sum ${r.value.sum}` : `failed: ${String(r.reason)}`}`);
      console.log(`Integration test completed with ${results.length} results`);
    } finally {
      crawler.client.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
    await server.close();
  }
}

await main();
