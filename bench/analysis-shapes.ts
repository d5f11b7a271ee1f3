// Synthetic traces of the shapes real programs give, at any size: for the analysis benchmark
// (npm run bench:analysis) and the complexity tests (test/analysis-complexity.test.ts). Each
// generator makes about `events` trace events, with the lag probe every 10 ms, V8 profile
// samples every millisecond (idle, and a 60 ms blocking stretch every 200 ms) and time going on
// at about ten microseconds per event, like a busy program.
import { MessageChannelKind } from '../contract/index.js';
import { TraceBuilder } from './analysis-trace-builder.js';
import type { TraceContent } from './analysis-trace-writer.js';

export const SHAPES = ['sequential', 'fanout', 'generators', 'recursion', 'server', 'interval', 'workers', 'mix'] as const;
export type Shape = (typeof SHAPES)[number];

/** Microseconds between consecutive events of the program. */
const STEP_US = 10;

/** Every this long, a blocking stretch of BLOCKING_US, in the middle of the period. */
const BLOCKING_EVERY_US = 200_000;
const BLOCKING_US = 60_000;

/** The end of the blocking stretch that `us` falls in, or `us` itself when it falls in none. */
function afterBlocking(us: number): number {
  const inPeriod = us % BLOCKING_EVERY_US;
  const from = BLOCKING_EVERY_US / 2;
  return inPeriod >= from && inPeriod < from + BLOCKING_US ? us - inPeriod + from + BLOCKING_US : us;
}

/**
 * A program's time line: a cursor that moves on, never inside a blocking stretch (nothing else
 * runs while the loop is blocked: the program's events wait until it is over).
 */
class Clock {
  us = 0;
  constructor(readonly b: TraceBuilder) {}
  tick(steps = 1): number {
    this.us = afterBlocking(this.us + steps * STEP_US);
    return this.us;
  }
}

/** Profile samples for [fromUs, wallUs]: idle, with a blocking stretch now and then. */
function samples(b: TraceBuilder, fromUs: number, wallUs: number, name: string): void {
  const busy = [b.frame('main', 1), b.frame(name, 20)];
  for (let period = fromUs; period < wallUs; period += BLOCKING_EVERY_US) {
    const stretch = period + BLOCKING_EVERY_US / 2;
    b.idle(period, Math.min(stretch, wallUs));
    if (stretch < wallUs) {
      b.busy(stretch, Math.min(stretch + BLOCKING_US, wallUs), busy);
      b.idle(stretch + BLOCKING_US, Math.min(period + BLOCKING_EVERY_US, wallUs));
    }
  }
}

function finish(b: TraceBuilder, wallUs: number, name: string): TraceContent {
  samples(b, 0, wallUs, name);
  return b.build({ wallUs });
}

/** Long sequential loops: main awaits unit() in a loop; unit awaits a leaf, an I/O call and another leaf. */
function sequential(b: TraceBuilder, c: Clock, events: number, parent = 0): void {
  const main = b.fn('mainLoop', 10);
  const unit = b.fn('unit', 20);
  const leaf = b.fn('leaf', 30);
  const m = b.enter(main, parent, c.tick());
  const iterations = Math.max(2, Math.floor(events / 15));
  for (let i = 0; i < iterations; i++) {
    const u = b.enter(unit, m, c.tick());
    b.suspend(m, 12, c.tick());
    b.sync(leaf, u, c.tick());
    b.suspend(u, 21, c.tick());
    b.resume(u, c.tick());
    const io = b.resource('fs', u, c.tick());
    b.suspend(u, 22, c.tick());
    b.callback(io, c.tick(20));
    b.end(io, c.tick());
    b.resume(u, c.tick());
    b.sync(leaf, u, c.tick());
    b.suspend(u, 23, c.tick());
    b.resume(u, c.tick());
    b.exit(u, c.tick());
    b.resume(m, c.tick());
  }
  b.exit(m, c.tick());
}

/** Wide fan-out: main starts many tasks at once (each awaits a timer) and awaits them all. */
function fanout(b: TraceBuilder, c: Clock, events: number, parent = 0): void {
  const main = b.fn('fanOut', 40);
  const job = b.fn('job', 50);
  const m = b.enter(main, parent, c.tick());
  const count = Math.max(2, Math.floor(events / 6));
  const jobs: number[] = [];
  const timers: number[] = [];
  for (let i = 0; i < count; i++) {
    const j = b.enter(job, m, c.tick());
    timers.push(b.resource('setTimeout', j, c.tick()));
    b.suspend(j, 51, c.tick());
    jobs.push(j);
  }
  b.suspend(m, 42, c.tick());
  c.tick(100);
  for (let i = 0; i < count; i++) {
    b.callback(timers[i]!, c.tick());
    b.resume(jobs[i]!, c.tick());
    b.exit(jobs[i]!, c.tick());
  }
  b.resume(m, c.tick());
  b.exit(m, c.tick());
}

/** A three-stage async generator pipeline: a source, a map stage and a sink that iterates it. */
function generators(b: TraceBuilder, c: Clock, events: number, parent = 0): void {
  const sinkFn = b.fn('sink', 60);
  const mapFn = b.fn('mapStage', 70, 'generator');
  const sourceFn = b.fn('source', 80, 'generator');
  const sink = b.enter(sinkFn, parent, c.tick());
  const map = b.enter(mapFn, sink, c.tick());
  const source = b.enter(sourceFn, map, c.tick());
  const items = Math.max(2, Math.floor(events / 9));
  for (let i = 0; i < items; i++) {
    // The sink awaits the map stage's next item, which awaits the source's, which reads a file.
    b.suspend(sink, 62, c.tick());
    b.suspend(map, 72, c.tick());
    const read = b.resource('fs', source, c.tick());
    b.suspend(source, 82, c.tick());
    b.callback(read, c.tick(10));
    b.resume(source, c.tick());
    b.resume(map, c.tick());
    b.resume(sink, c.tick());
  }
  b.exit(source, c.tick());
  b.exit(map, c.tick());
  b.exit(sink, c.tick());
}

/** Deep recursion: walk(d) awaits an I/O call, then walk(d - 1), then another I/O call. */
function recursion(b: TraceBuilder, c: Clock, events: number, parent = 0): void {
  const walk = b.fn('walk', 90);
  const depth = Math.max(2, Math.floor(events / 10));
  const stack: number[] = [];
  let caller = parent;
  for (let d = 0; d < depth; d++) {
    const t = b.enter(walk, caller, c.tick());
    const io = b.resource('fs', t, c.tick());
    b.suspend(t, 91, c.tick());
    // The caller's `await walk(d - 1)` waits from the moment the call first waits.
    if (d > 0) b.suspend(caller, 92, c.tick());
    b.callback(io, c.tick(100));
    b.resume(t, c.tick());
    stack.push(t);
    caller = t;
  }
  for (let d = depth - 1; d >= 0; d--) {
    const t = stack[d]!;
    const io = b.resource('fs', t, c.tick());
    b.suspend(t, 93, c.tick());
    b.callback(io, c.tick(100));
    b.resume(t, c.tick());
    b.exit(t, c.tick());
    // The caller's `await walk(d)` resumes with the very next event (a blocking stretch in
    // between would make the stretch, not the call, what the caller waited for).
    if (d > 0) b.resume(stack[d - 1]!, c.us);
  }
}

/**
 * An HTTP server: requests arrive (a server callback, then the request read: its own resource),
 * overlapping; each handler awaits a query, a child call and a write; the request is named by one of
 * a few routes when its handler is done.
 */
function server(b: TraceBuilder, c: Clock, events: number): void {
  const handle = b.fn('handleRequest', 100, 'arrow');
  const auth = b.fn('authenticate', 110);
  // The listening socket: its callback is a connection's data.
  const srv = b.resource('tcp', 0, c.tick());
  b.routes.push({ firstId: 1, names: ['GET /users/:n', 'GET /health', 'POST /orders'] });
  const requests = Math.max(2, Math.floor(events / 18));
  const inFlight: { h: number; step: number; io: number; req: number }[] = [];
  let started = 0;
  // About ten requests in flight at once, each moving one step at a time.
  while (started < requests || inFlight.length > 0) {
    if (started < requests && (inFlight.length < 10 || started % 3 === 0)) {
      b.callback(srv, c.tick());
      const req = b.resource('httpServer', 0, c.tick());
      const h = b.enter(handle, 0, c.tick());
      const io = b.resource('tcp', h, c.tick());
      b.suspend(h, 101, c.tick());
      inFlight.push({ h, step: 0, io, req });
      started++;
      continue;
    }
    const r = inFlight.shift()!;
    if (r.step === 0) {
      b.callback(r.io, c.tick(5));
      b.end(r.io, c.tick());
      b.resume(r.h, c.tick());
      const a = b.enter(auth, r.h, c.tick());
      b.exit(a, c.tick());
      b.suspend(r.h, 102, c.tick());
      b.resume(r.h, c.tick());
      r.io = b.resource('tcp', r.h, c.tick());
      b.suspend(r.h, 103, c.tick());
      r.step = 1;
      inFlight.push(r);
    } else {
      b.callback(r.io, c.tick(5));
      b.resume(r.h, c.tick());
      b.exit(r.h, c.tick());
      b.route(r.req, 1 + (r.h % 3), c.tick());
      b.end(r.req, c.tick());
    }
  }
}

/** A long-running interval whose ticks start short timers and await them. */
function interval(b: TraceBuilder, c: Clock, events: number): void {
  const tickFn = b.fn('onTick', 120, 'arrow');
  const iv = b.resource('setInterval', 0, c.tick());
  const ticks = Math.max(2, Math.floor(events / 8));
  for (let i = 0; i < ticks; i++) {
    b.callback(iv, c.tick(100));
    const t = b.enter(tickFn, 0, c.tick());
    const timer = b.resource('setTimeout', t, c.tick());
    b.suspend(t, 121, c.tick());
    b.callback(timer, c.tick(10));
    b.end(timer, c.tick());
    b.resume(t, c.tick());
    b.exit(t, c.tick());
  }
  b.end(iv, c.tick());
}

/**
 * A pool of four workers: each job is posted by its own task, which awaits the answer; about eight
 * jobs in flight, answers out of order across workers; every worker also says 'ready' first (an
 * answer to nothing), and the last job of each is never answered.
 */
function workers(b: TraceBuilder, c: Clock, events: number): void {
  const ask = b.fn('askWorker', 130);
  const POOL = 4;
  for (let w = 1; w <= POOL; w++) {
    b.channel(MessageChannelKind.WorkerPort, w, 100 + w, c.tick());
    b.receive(w, 1, 0, c.tick());
    b.delivered(w, 1, c.tick());
  }
  const sent = new Array<number>(POOL + 1).fill(0);
  const received = new Array<number>(POOL + 1).fill(1);
  const jobs = Math.max(2 * POOL, Math.floor(events / 8));
  const inFlight: { t: number; w: number }[] = [];
  for (let j = 0; j < jobs || inFlight.length > 0; ) {
    if (j < jobs && inFlight.length < 8) {
      const w = 1 + (j++ % POOL);
      const t = b.enter(ask, 0, c.tick());
      b.send(w, ++sent[w]!, t, c.tick());
      b.suspend(t, 131, c.tick());
      inFlight.push({ t, w });
      continue;
    }
    // Workers answer in turn, not in the order asked across the pool.
    const at = inFlight.length > 1 && inFlight.length % 3 === 0 ? 1 : 0;
    const { t, w } = inFlight.splice(at, 1)[0]!;
    if (j >= jobs && inFlight.every((r) => r.w !== w)) {
      // The worker's last job: it exits without answering.
      b.exit(t, c.tick(20), true);
      continue;
    }
    b.receive(w, ++received[w]!, 0, c.tick(20));
    b.delivered(w, received[w]!, c.tick());
    b.resume(t, c.tick());
    b.exit(t, c.tick());
  }
}

/** A trace of about `events` events of one shape. */
export function generateShape(shape: Shape, events: number): TraceContent {
  const b = new TraceBuilder('/synthetic', `/synthetic/${shape}.ts`);
  const c = new Clock(b);
  // The lag probe runs all along: its events are put in as the program's time passes (withLag).
  const make = (n: number) => {
    switch (shape) {
      case 'sequential':
        return sequential(b, c, n);
      case 'fanout':
        return fanout(b, c, n);
      case 'generators':
        return generators(b, c, n);
      case 'recursion':
        return recursion(b, c, n);
      case 'server':
        return server(b, c, n);
      case 'interval':
        return interval(b, c, n);
      case 'workers':
        return workers(b, c, n);
      case 'mix': {
        const part = Math.floor(n / 7);
        sequential(b, c, part);
        fanout(b, c, part);
        generators(b, c, part);
        recursion(b, c, part);
        server(b, c, part);
        interval(b, c, part);
        workers(b, c, part);
        return;
      }
    }
  };
  withLag(b, c, () => make(events));
  return finish(b, c.us + 1000, shape);
}

/**
 * Runs the program's generator with the lag probe's events slipped in at their times: the
 * builder's events must be in time order, and the program's clock only moves forward.
 */
function withLag(b: TraceBuilder, c: Clock, program: () => void): void {
  let nextLag = 10_000;
  let k = 0;
  const tick = c.tick.bind(c);
  c.tick = (steps = 1) => {
    const at = tick(steps);
    while (at >= nextLag) {
      // A probe due in a blocking stretch runs when it is over, that much late.
      const ran = afterBlocking(nextLag);
      const late = ran > nextLag ? ran - nextLag : k++ % 7 === 0 ? 2_000 : 300;
      b.lag(nextLag + late, late);
      nextLag += late + 10_000;
    }
    return at;
  };
  program();
}
