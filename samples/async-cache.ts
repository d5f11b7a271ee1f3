// Seed 000 (advanced path), Exercise 15: Async Cache with TTL.
// An AsyncCache written from scratch in front of a slow origin (an HTTP server on 127.0.0.1,
// 0.2 s per lookup):
//   - TTL expiry and a size limit with LRU or LFU eviction;
//   - stampede protection: concurrent misses for one key share a single in-flight load
//     (100 callers -> 1 origin request, where a naive cache makes 100);
//   - cache warming with bounded concurrency (p-limit), statistics, and invalidation by a glob
//     pattern ("user:*").
// Timeline: the protected stampede shows a single origin request that 100 callers wait on, the
// naive one 100 overlapping origin requests; the warm-up shows two waves of 5 loads.
import pLimit from 'p-limit';
import { sleep } from './lib/env.js';
import { scaled } from './lib/env.js';
import { runMain, startLocalServer, stopwatch } from './lib/course.js';

type Factory<V> = (key: string) => Promise<V>;

interface Entry<V> {
  value: V;
  expiresAt: number;
  uses: number;
}

class AsyncCache<V> {
  private readonly entries = new Map<string, Entry<V>>(); // Map order = recency (oldest first)
  private readonly inFlight = new Map<string, Promise<V>>();
  readonly stats = { hits: 0, misses: 0, shared: 0, evictions: 0, expirations: 0 };
  readonly evicted: string[] = [];

  constructor(
    readonly maxSize = 1000,
    /** Course seconds. */
    readonly ttl = 300,
    readonly policy: 'lru' | 'lfu' = 'lru',
  ) {}

  /** The cached value, or the factory's (one load per key at a time, however many callers). */
  async get(key: string, factory?: Factory<V>): Promise<V | undefined> {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > performance.now()) {
      this.stats.hits++;
      entry.uses++;
      this.entries.delete(key); // move to the most-recent end
      this.entries.set(key, entry);
      return entry.value;
    }
    if (entry) {
      this.entries.delete(key);
      this.stats.expirations++;
    }
    const pending = this.inFlight.get(key);
    if (pending) {
      this.stats.shared++;
      return pending;
    }
    this.stats.misses++;
    if (!factory) return undefined;
    const load = factory(key)
      .then((value) => {
        this.set(key, value);
        return value;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, load);
    return load;
  }

  set(key: string, value: V, ttl = this.ttl): void {
    this.entries.delete(key);
    while (this.entries.size >= this.maxSize) this.evictOne();
    this.entries.set(key, { value, expiresAt: performance.now() + scaled(ttl), uses: 1 });
  }

  /** Loads `keys` ahead of time, at most `concurrency` at once. */
  async warm(keys: string[], factory: Factory<V>, concurrency = 5): Promise<void> {
    const limit = pLimit(concurrency);
    await Promise.all(keys.map((key) => limit(() => this.get(key, factory))));
  }

  /** Removes every key matching a glob pattern (`*` matches anything); returns how many. */
  async invalidatePattern(pattern: string): Promise<number> {
    const regex = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
    let removed = 0;
    for (const key of [...this.entries.keys()]) {
      if (regex.test(key)) {
        this.entries.delete(key);
        removed++;
      }
    }
    return removed;
  }

  has(key: string): boolean {
    const entry = this.entries.get(key);
    return entry !== undefined && entry.expiresAt > performance.now();
  }

  get size(): number {
    return this.entries.size;
  }

  get hitRate(): number {
    const lookups = this.stats.hits + this.stats.misses + this.stats.shared;
    return lookups ? this.stats.hits / lookups : 0;
  }

  private evictOne(): void {
    let victim: string | undefined;
    if (this.policy === 'lru') {
      victim = this.entries.keys().next().value;
    } else {
      let fewest = Infinity;
      for (const [key, entry] of this.entries) {
        if (entry.uses < fewest) {
          fewest = entry.uses; // ties go to the least recently used, the first in Map order
          victim = key;
        }
      }
    }
    if (victim === undefined) return;
    this.entries.delete(victim);
    this.evicted.push(victim);
    this.stats.evictions++;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/** A cache without stampede protection, for comparison: every miss goes to the origin. */
class NaiveCache<V> {
  private readonly entries = new Map<string, V>();
  async get(key: string, factory: Factory<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit;
    const value = await factory(key);
    this.entries.set(key, value);
    return value;
  }
}

async function main(): Promise<void> {
  const originRequests = new Map<string, number>();
  const origin = await startLocalServer((req, res) => {
    const key = decodeURIComponent((req.url ?? '/').slice(1));
    originRequests.set(key, (originRequests.get(key) ?? 0) + 1);
    sleep(0.2).then(() => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ key, loadedAt: Date.now() })));
  });
  const load: Factory<string> = async (key) => {
    const response = await fetch(`${origin.baseUrl}/${encodeURIComponent(key)}`);
    return ((await response.json()) as { key: string }).key;
  };
  const requestsFor = (key: string) => originRequests.get(key) ?? 0;
  const totalRequests = () => [...originRequests.values()].reduce((a, b) => a + b, 0);
  try {
    // The first fetch() calls of a process load and warm up Node's HTTP client: not part of the lesson.
    for (let i = 0; i < 3; i++) await load('warm-up-http-client');
    originRequests.clear();
    console.log('=== Async Cache ===');
    console.log('Origin: HTTP on 127.0.0.1, 0.2 s per lookup');

    console.log('\n--- Stampede: 100 concurrent gets of one key on a cold cache ---');
    const cache = new AsyncCache<string>(100, 1.0);
    let elapsed = stopwatch();
    await Promise.all(Array.from({ length: 100 }, () => cache.get('user:1', load)));
    console.log(
      `AsyncCache: ${requestsFor('user:1')} origin request in ${elapsed().toFixed(2)} seconds (${cache.stats.shared} callers shared the in-flight load)`,
    );

    console.log('\n--- Hit ---');
    elapsed = stopwatch();
    await cache.get('user:1', load);
    console.log(`user:1 from the cache in ${elapsed().toFixed(2)} seconds (origin requests for user:1: ${requestsFor('user:1')})`);

    console.log('\n--- The same stampede on a naive cache (no in-flight sharing) ---');
    const naive = new NaiveCache<string>();
    elapsed = stopwatch();
    await Promise.all(Array.from({ length: 100 }, () => naive.get('report:naive', load)));
    console.log(`Naive cache: ${requestsFor('report:naive')} origin requests in ${elapsed().toFixed(2)} seconds`);

    console.log('\n--- TTL (1.0 s) ---');
    await sleep(1.2);
    console.log(`After 1.2 s user:1 is ${cache.has('user:1') ? 'still cached' : 'expired'}`);
    await cache.get('user:1', load);
    console.log(`Reloaded: origin requests for user:1: ${requestsFor('user:1')}`);

    console.log('\n--- LRU eviction (max 3) ---');
    const lru = new AsyncCache<string>(3, 60, 'lru');
    for (const key of ['a', 'b', 'c', 'a', 'd']) await lru.get(key, load);
    console.log(`get a, b, c, a, d -> evicted: ${lru.evicted.join(', ')}`);

    console.log('\n--- LFU eviction (max 3) ---');
    const lfu = new AsyncCache<string>(3, 60, 'lfu');
    for (const key of ['a', 'a', 'a', 'b', 'c', 'c', 'd']) await lfu.get(key, load);
    console.log(`get a x3, b x1, c x2, then d -> evicted: ${lfu.evicted.join(', ')}`);

    const { hits, misses, shared, evictions, expirations } = cache.stats;
    console.log('\n--- Stats of the TTL cache ---');
    console.log(`Hits ${hits}, misses ${misses}, shared loads ${shared}, evictions ${evictions}, expirations ${expirations}, hit rate ${(cache.hitRate * 100).toFixed(1)}%`);

    console.log('\n--- Warm-up: 10 keys, at most 5 loads at once ---');
    const catalog = new AsyncCache<string>(100, 60);
    const keys = [...Array.from({ length: 7 }, (_, i) => `user:${i + 2}`), 'product:1', 'product:2', 'product:3'];
    elapsed = stopwatch();
    await catalog.warm(keys, load, 5);
    console.log(`Warmed ${keys.filter((k) => catalog.has(k)).length} keys in ${elapsed().toFixed(2)} seconds`);

    console.log('\n--- Invalidate "user:*" ---');
    const removed = await catalog.invalidatePattern('user:*');
    console.log(`Removed ${removed} keys; left: ${catalog.size} (product:* kept)`);
    console.log(`\nOrigin requests in all: ${totalRequests()}`);
  } finally {
    await origin.close();
  }
}

runMain(main);
