// HTTP requests as spans (issue 17): the express sample under the real CLI and autocannon (one
// instance per route, so that its latency figures are per route), on 127.0.0.1.
//
// Where the process can see a request: from when it read the request's headers off the socket to
// when its response finished. A request that arrived while the loop was busy waited in the
// kernel's socket buffer, and the load generator's own latency includes its own process waiting to
// be scheduled and to parse answers that came together, none of which the server can see. So the
// p99 acceptance (the slow route's p99 within 10% of autocannon's) is asserted where that unseen
// time is small: /slow alone, whose handler sleeps 40 ms and leaves the loop idle nearly all the
// time, on 3 connections (with 10, ten answers due at the same millisecond reach the client
// together and it parses them one after another: a few ms on its side). With /block in the mix (60 ms
// of synchronous work twice a second) requests wait unseen behind it for up to 60 ms: there the
// span's p99 is only a lower bound of autocannon's, and the report's upper bound (from the loop's
// last idle moment) is printed beside it. One retry for a noisy machine (docs/analysis.md has the
// figures: on 3 connections within 2-7% in every run measured; on 10, in about half the runs).
import { describe, expect, it } from 'vitest';
import { modelFromContent } from '../bench/analysis-from-objects.js';
import { TraceBuilder } from '../bench/analysis-trace-builder.js';
import { analyse } from '../src/analysis/pipeline.js';
import { MAX_ROUTE_NAMES, RouteTable, routeName } from '../instrument/request-routes.js';
import { measure, type RouteFigures } from './helpers/http-latency.js';
import { assertBuilt } from './fixtures/viewer/harness.js';

/** The sample's "database" sleeps this long in /slow. */
const SLEEP_MS = 40;

describe('route names', () => {
  it("takes express's matched pattern, else the path without its query, ids collapsed", () => {
    expect(routeName({ method: 'GET', url: '/users/7', baseUrl: '/api', route: { path: '/users/:id' } })).toBe('GET /api/users/:id');
    expect(routeName({ method: 'GET', url: '/orders/123/items/550e8400-e29b-41d4-a716-446655440000?x=1' })).toBe('GET /orders/:n/items/:uuid');
    expect(routeName({ method: 'POST', originalUrl: '/blob/0123456789abcdef0123#top', url: '/' })).toBe('POST /blob/:id');
    expect(routeName({ method: 'BREW', url: 'http://example.test/pot?sugar' })).toBe('OTHER /pot');
    expect(routeName({})).toBe('OTHER /');
    // A getter of the program's is never run (it could count its calls, or throw).
    let calls = 0;
    const hostile = Object.defineProperty({ method: 'GET', url: '/x' }, 'route', { get: () => { calls++; throw new Error('no'); } });
    expect(routeName(hostile)).toBe('GET /x');
    const traps = new Proxy({ path: '/p' }, { getOwnPropertyDescriptor: () => { calls++; return undefined; } });
    expect(routeName({ method: 'GET', url: '/y', route: traps })).toBe('GET /y');
    expect(calls).toBe(0);
  });

  it('announces each name once and caps how many there are', () => {
    const announced: string[] = [];
    const table = new RouteTable((_id, names) => announced.push(...names));
    expect(table.idOf('GET /a')).toBe(1);
    expect(table.idOf('GET /a')).toBe(1);
    for (let i = 0; i < MAX_ROUTE_NAMES * 2; i++) table.idOf(`GET /page-${i}`);
    expect(announced.length).toBe(MAX_ROUTE_NAMES + 1);
    expect(announced.at(-1)).toBe('GET (other routes)');
    expect(table.idOf('GET /never-seen')).toBe(table.idOf('GET (other routes)'));
  });
});

describe('request spans in the model', () => {
  /** Two requests read 1 ms apart, each dispatched to a handler that waits 10 ms; then a timer's task, started by no request. */
  const trace = (named: boolean) => {
    const b = new TraceBuilder();
    const handler = b.fn('handle', 10);
    const tick = b.fn('onTick', 20);
    if (named) b.routes.push({ firstId: 1, names: ['GET /a'] });
    const requests = [0, 1].map((i) => {
      const at = 1000 + i * 1000;
      const req = b.resource('httpServer', 0, at);
      const h = b.enter(handler, 0, at + 100);
      b.suspend(h, 11, at + 200);
      return { req, h, at };
    });
    const timer = b.resource('setTimeout', 0, 2500);
    for (const { req, h, at } of requests) {
      b.resume(h, at + 10_000);
      b.exit(h, at + 10_100);
      if (named) b.route(req, 1, at + 10_300);
      b.end(req, at + 10_300);
    }
    b.callback(timer, 20_000);
    b.exit(b.enter(tick, 0, 20_050), 20_100);
    return analyse(modelFromContent(b.build({ wallUs: 21_000 })));
  };

  it('links each request to the task its dispatch started, and names it by its route', () => {
    const a = trace(true);
    expect(a.requests).toHaveLength(1);
    const row = a.requests[0]!;
    expect(row).toMatchObject({ route: 'GET /a', count: 2, pending: 0, withoutHandler: 0, handler: { name: 'handle', line: 10 } });
    expect(row.p50Ms).toBeCloseTo(10.3, 6);
    expect(row.beforeHandlerMaxMs).toBeCloseTo(0.1, 6);
    expect(row.handlerP50Ms).toBeCloseTo(10, 6);
    const T = a.model.columns.tasks;
    const linked = Array.from({ length: T.count }, (_, t) => T.request[t]!);
    expect(linked.filter((r) => r >= 0)).toHaveLength(2);
    // The timer's task came after the loop went on: no request's.
    expect(linked.at(-1)).toBe(-1);
  });

  it('reads a trace written before requests were named: one unnamed row', () => {
    const row = trace(false).requests[0]!;
    expect(row).toMatchObject({ route: '(unnamed)', count: 2, handler: { name: 'handle' } });
  });
});

describe('HTTP requests of the express sample under autocannon', () => {
  const slow = (figures: RouteFigures[]) => figures.find((f) => f.path === '/slow')!;

  it('/slow alone: one request per request sent, p99 within 10% of autocannon, p50 the known sleep', async () => {
    assertBuilt();
    let figures = await measure('slow');
    const within = (f: RouteFigures) => Math.abs(f.spanP99 - f.loadP99) <= 0.1 * f.loadP99;
    if (!within(slow(figures))) figures = await measure('slow');
    const s = slow(figures);
    expect(s.errors).toBe(0);
    expect(s.count).toBe(s.sent);
    expect(s.handlerCount).toBe(s.sent);
    expect(s.spanP99, `span p99 ${s.spanP99} ms, autocannon ${s.loadP99} ms`).toBeGreaterThanOrEqual(0.9 * s.loadP99);
    expect(s.spanP99).toBeLessThanOrEqual(1.1 * s.loadP99);
    // The sleep and what is around it: a timer is never early; the rest is a few ms on a busy machine.
    // (libuv's loop time is whole ms: a timer fires up to 1 ms before its delay by a finer clock)
    expect(s.spanP50).toBeGreaterThanOrEqual(SLEEP_MS - 1);
    expect(s.spanP50).toBeLessThan(SLEEP_MS + 8);
    expect(s.handlerP50).toBeGreaterThanOrEqual(SLEEP_MS - 1);
    expect(s.handlerP50).toBeLessThanOrEqual(s.spanP50);
    // autocannon rounds to whole ms.
    expect(Math.abs(s.spanP50 - s.loadP50)).toBeLessThanOrEqual(0.1 * s.loadP50);
    expect(s.beforeHandlerP99).toBeLessThan(5);
  }, 120_000);

  it('all three routes: counts per route equal what was sent; the span is a lower bound of what the client saw', async () => {
    assertBuilt();
    const figures = await measure('all');
    for (const f of figures) {
      expect(f.errors, f.path).toBe(0);
      expect(f.count, f.path).toBe(f.sent);
      expect(f.handlerCount, f.path).toBe(f.sent);
      expect(f.upperP99, f.path).toBeGreaterThanOrEqual(f.spanP99);
    }
    // Whole ms on autocannon's side, a clock tick on ours. (/block's few rate-limited requests are
    // left out: autocannon gives them a p50 below the 60 ms each one holds the server.)
    for (const f of figures.filter((f) => f.path !== '/block')) expect(f.spanP50, f.path).toBeLessThanOrEqual(f.loadP50 + 1);
    const s = slow(figures);
    expect(s.spanP50).toBeGreaterThanOrEqual(SLEEP_MS - 1);
    expect(s.spanP99).toBeLessThanOrEqual(s.loadP99 + 1);
  }, 120_000);
});
