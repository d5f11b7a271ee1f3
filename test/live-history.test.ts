// The live page's horizon (src/server/fold-history.ts): what ended before it is folded into
// per-interval aggregates before the model is built; what is still open at it is kept whole.
// The page's side (the loop lane drawing the aggregates) is in test/live.test.ts.
import { describe, expect, it } from 'vitest';
import { ORIGIN_MS, TraceBuilder } from '../bench/analysis-trace-builder.js';
import { encodeTrace } from '../bench/analysis-trace-writer.js';
import { buildModel } from '../src/model/build-model.js';
import { foldHistory } from '../src/server/fold-history.js';
import { parseTrace } from '../src/trace/read-trace.js';

/** 10 s: a task that never ends, then every 100 ms a request whose handler runs 5 ms, waits 20 ms on a timer and runs 5 ms; a lag sample every 10 ms. */
function tenSeconds() {
  const b = new TraceBuilder();
  const main = b.fn('main', 1);
  const handle = b.fn('handle', 10);
  b.enter(main, 0, 0);
  b.suspend(1, 2, 10);
  for (let step = 0; step < 10_000; step += 100) {
    const us = step * 1000;
    // In time order (the builder's events must be): the request's life and ten lag samples.
    const lag = (k: number) => b.lag(us + k * 10_000 + 6000, (step + k * 10) % 1000 === 500 ? 40_000 : 1000);
    const req = b.resource('httpServer', 0, us + 1);
    const h = b.enter(handle, 0, us + 2);
    const timer = b.resource('setTimeout', h, us + 3);
    b.suspend(h, 11, us + 5002);
    lag(0);
    lag(1);
    b.callback(timer, us + 25_002);
    b.end(timer, us + 25_003);
    b.resume(h, us + 25_004);
    lag(2);
    b.exit(h, us + 30_004);
    b.end(req, us + 30_100);
    for (let k = 3; k < 10; k++) lag(k);
  }
  return parseTrace(encodeTrace(b.build({ wallUs: 10_000_000 })), '/tmp/history.trace');
}

describe('folding a run before its horizon', () => {
  it('counts what ended before the horizon into 1-s rows and leaves it out of the model; keeps what was open', () => {
    const raw = tenSeconds();
    const history = foldHistory(raw, { horizonMs: 3000, originMs: ORIGIN_MS })!;
    // The newest event is at 9,990 + 6 ms: the horizon 3 s before it.
    expect(history.untilMs).toBeCloseTo(6996, 3);
    expect(history.intervalMs).toBe(1000);
    expect(history.rows).toHaveLength(7);
    const first = history.rows[0]!;
    expect(first).toMatchObject({ startMs: 0, tasksStarted: 11, tasksFinished: 10, requests: 10, lagMaxMs: 40 });
    // Each handler ran 10 ms of its 100: 10%.
    expect(history.rows[3]!.busyShare).toBeCloseTo(0.1, 2);
    expect(history.rows.slice(1, 6).every((r) => r.tasksStarted === 10 && r.tasksFinished === 10)).toBe(true);
    // Handlers that ended before 6,996 ms: the ones started up to 6,900 ms (ends 30 ms later).
    expect(history.foldedTasks).toBe(70);

    const model = buildModel(raw);
    const T = model.columns.tasks;
    const names = Array.from({ length: T.count }, (_, t) => model.functions.name[T.fn[t]!]);
    expect(names.filter((n) => n === 'handle')).toHaveLength(30);
    // The task open since the start is kept whole.
    expect(names[0]).toBe('main');
    expect(T.start[0]).toBe(0);
    // Requests and their timers: the recent ones only.
    const R = model.columns.resources;
    expect(Array.from({ length: R.count }, (_, r) => R.typeName(r)).filter((t) => t === 'httpServer')).toHaveLength(30);
    // Lag before the horizon: each interval's largest sample and the one after it; all of it after.
    const before = Array.from(model.lag.times).filter((t) => t < history.untilMs - 0.001);
    expect(before, String(before)).toHaveLength(14);
    expect(Array.from(model.lag.values).filter((v, i) => model.lag.times[i]! < history.untilMs && v === 40)).toHaveLength(7);
    expect(Array.from(model.lag.times).filter((t) => t >= history.untilMs).length).toBeGreaterThan(290);
  });

  it('leaves a run shorter than the horizon alone', () => {
    const raw = tenSeconds();
    const events = raw.chunks.reduce((n, c) => n + c.events.length, 0);
    expect(foldHistory(raw, { horizonMs: 60_000, originMs: ORIGIN_MS })).toBeNull();
    expect(raw.chunks.reduce((n, c) => n + c.events.length, 0)).toBe(events);
  });

  it('grows its intervals so that a long run has at most maxRows of them', () => {
    const history = foldHistory(tenSeconds(), { horizonMs: 1000, originMs: ORIGIN_MS, maxRows: 3 })!;
    expect(history.intervalMs).toBe(3000);
    expect(history.rows).toHaveLength(3);
    expect(history.rows.reduce((n, r) => n + r.requests, 0)).toBe(90);
  });
});
