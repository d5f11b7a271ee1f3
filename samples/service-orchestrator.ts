// Seed 000 (advanced path), Exercise 10: Async Microservice Orchestrator.
// Four services (users, orders, recommendations, notifications) run as an express app on
// 127.0.0.1, each answering in 0.5 s. The orchestrator builds a user dashboard from all four:
//   - in parallel (Promise.allSettled): 2 s sequential -> 0.5 s parallel;
//   - a TTL cache in front of every service call;
//   - a circuit breaker per service (written here): 3 failed calls open it, calls then fail fast
//     without touching the service, and after a 2 s reset timeout one trial call (half-open)
//     closes it again;
//   - per-call timeout (AbortSignal.timeout, 1.5 s) and one retry after 0.1 s for 5xx answers;
//   - fallbacks for the optional parts (stale cache or defaults), so a partial failure still
//     gives a dashboard; only the user record is required;
//   - a trace id sent with every call, and the spans of one dashboard printed at the end.
// Timeline: getUserDashboardSequential holds four calls one after another (2 s); each
// getUserDashboard holds four overlapping calls (0.5 s); with the circuit open the
// recommendations call ends at once; with a slow service the dashboard ends at the 1.5 s timeout.
import express from 'express';
import { scaled, sleep } from './lib/env.js';
import { runMain, startLocalServer, stopwatch } from './lib/course.js';

type ServiceName = 'users' | 'orders' | 'recommendations' | 'notifications';
const SERVICES: ServiceName[] = ['users', 'orders', 'recommendations', 'notifications'];

// ---------------------------------------------------------------- the services
function servicesApp(state: Record<ServiceName, { latency: number; failing: boolean; calls: number }>) {
  const app = express();
  app.get('/:service/:userId', async (req, res) => {
    const service = req.params.service as ServiceName;
    const userId = Number(req.params.userId);
    const s = state[service];
    if (!s) {
      res.status(404).end();
      return;
    }
    s.calls++;
    await sleep(s.failing ? 0.1 : s.latency);
    if (res.destroyed) return; // the caller timed out and went away
    if (s.failing) {
      res.status(503).json({ error: `${service} unavailable` });
      return;
    }
    const bodies: Record<ServiceName, unknown> = {
      users: { id: userId, name: `User ${userId}` },
      orders: [{ id: userId * 10 + 1, total: 42 }],
      recommendations: [`book-${userId}`, `album-${userId}`],
      notifications: [{ text: 'Your order shipped' }],
    };
    res.set('x-trace-id', String(req.headers['x-trace-id'] ?? '')).json(bodies[service]);
  });
  return app;
}

// ---------------------------------------------------------------- resilience pieces
class CircuitOpenError extends Error {}

class CircuitBreaker {
  state: 'closed' | 'open' | 'half-open' = 'closed';
  private failures = 0;
  private openedAt = 0;

  constructor(
    readonly name: string,
    readonly failureThreshold = 3,
    readonly resetTimeout = 2,
    private readonly onChange: (from: string, to: string) => void = () => undefined,
  ) {}

  async call<T>(fn: () => Promise<T>): Promise<T> {
    let trial = false;
    if (this.state === 'open') {
      if (performance.now() - this.openedAt < scaled(this.resetTimeout)) {
        throw new CircuitOpenError(`circuit ${this.name} is open`);
      }
      trial = true; // let one trial call through
      this.transition('half-open');
    } else if (this.state === 'half-open') {
      throw new CircuitOpenError(`circuit ${this.name} is half-open, trial in progress`);
    }
    try {
      const result = await fn();
      this.failures = 0;
      if (this.state !== 'closed') this.transition('closed');
      return result;
    } catch (error) {
      this.failures++;
      if (trial || this.failures >= this.failureThreshold) {
        this.openedAt = performance.now();
        if (this.state !== 'open') this.transition('open');
      }
      throw error;
    }
  }

  private transition(to: CircuitBreaker['state']): void {
    const from = this.state;
    this.state = to;
    this.onChange(from, to);
  }
}

class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();
  hits = 0;

  constructor(readonly ttl: number) {}

  get(key: string, { allowStale = false } = {}): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (!allowStale && entry.expires < performance.now()) return undefined;
    if (!allowStale) this.hits++;
    return entry.value;
  }

  set(key: string, value: V): void {
    this.entries.set(key, { value, expires: performance.now() + scaled(this.ttl) });
  }
}

// ---------------------------------------------------------------- the orchestrator
interface Span {
  service: ServiceName;
  start: number;
  end: number;
  outcome: string;
}

interface Dashboard {
  user: unknown;
  data: Partial<Record<ServiceName, unknown>>;
  parts: Record<ServiceName, { source: 'live' | 'cache' | 'fallback'; reason?: string }>;
  spans: Span[];
}

const FALLBACKS: Record<Exclude<ServiceName, 'users'>, unknown> = {
  orders: [],
  recommendations: ['bestseller-1', 'bestseller-2'],
  notifications: [],
};

class ServiceOrchestrator {
  readonly breakers: Record<ServiceName, CircuitBreaker>;
  readonly cache = new TtlCache<unknown>(5);
  serviceCalls = 0;
  private traceSeq = 0;

  constructor(
    private readonly baseUrl: string,
    readonly callTimeout = 1.5,
  ) {
    this.breakers = Object.fromEntries(
      SERVICES.map((s) => [
        s,
        new CircuitBreaker(s, 3, 2, (from, to) => console.log(`Circuit ${s}: ${from} -> ${to}`)),
      ]),
    ) as Record<ServiceName, CircuitBreaker>;
  }

  /** One HTTP call with a deadline and one retry for 5xx answers. */
  private async request(service: ServiceName, userId: number, traceId: string): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      this.serviceCalls++;
      const response = await fetch(`${this.baseUrl}/${service}/${userId}`, {
        headers: { 'x-trace-id': traceId },
        signal: AbortSignal.timeout(scaled(this.callTimeout)),
      });
      if (response.ok) return response.json();
      await response.arrayBuffer();
      if (response.status < 500 || attempt >= 2) throw new Error(`${service}: HTTP ${response.status}`);
      await sleep(0.1);
    }
  }

  private async callService(service: ServiceName, userId: number, traceId: string, origin: number) {
    const key = `${service}:${userId}`;
    const span = (outcome: string, start: number): Span => ({
      service,
      start: (start - origin) / scaled(1),
      end: (performance.now() - origin) / scaled(1),
      outcome,
    });
    const start = performance.now();
    const cached = this.cache.get(key);
    if (cached !== undefined) return { value: cached, source: 'cache' as const, span: span('cache hit', start) };
    try {
      const value = await this.breakers[service].call(() => this.request(service, userId, traceId));
      this.cache.set(key, value);
      return { value, source: 'live' as const, span: span('ok', start) };
    } catch (error) {
      const reason =
        error instanceof CircuitOpenError
          ? 'circuit open, not called'
          : error instanceof Error && error.name === 'TimeoutError'
            ? 'timed out'
            : 'failed';
      throw Object.assign(new Error(reason), { span: span(reason, start) });
    }
  }

  async getUserDashboard(userId: number): Promise<Dashboard> {
    const traceId = `trace-${++this.traceSeq}`;
    const origin = performance.now();
    const settled = await Promise.allSettled(SERVICES.map((s) => this.callService(s, userId, traceId, origin)));
    const dashboard: Dashboard = { user: undefined, data: {}, parts: {} as Dashboard['parts'], spans: [] };
    settled.forEach((result, i) => {
      const service = SERVICES[i]!;
      if (result.status === 'fulfilled') {
        dashboard.parts[service] = { source: result.value.source };
        dashboard.data[service] = result.value.value;
        dashboard.spans.push(result.value.span);
        if (service === 'users') dashboard.user = result.value.value;
        return;
      }
      const error = result.reason as Error & { span: Span };
      dashboard.spans.push(error.span);
      if (service === 'users') throw new Error(`dashboard for user ${userId}: user service ${error.message}`);
      // Fallback: a stale cached value if there is one, a default otherwise.
      const stale = this.cache.get(`${service}:${userId}`, { allowStale: true });
      dashboard.data[service] = stale ?? FALLBACKS[service];
      dashboard.parts[service] = { source: 'fallback', reason: stale === undefined ? error.message : `${error.message}, stale cache` };
    });
    return dashboard;
  }

  /** The slow way, for comparison: one service after another. */
  async getUserDashboardSequential(userId: number): Promise<void> {
    const traceId = `trace-${++this.traceSeq}`;
    for (const service of SERVICES) await this.request(service, userId, traceId);
  }
}

function describe(dashboard: Dashboard): string {
  const notLive = SERVICES.filter((s) => dashboard.parts[s]?.source === 'fallback').map(
    (s) => `${s} from fallback (${dashboard.parts[s]!.reason})`,
  );
  return notLive.length ? notLive.join(', ') : 'all services live';
}

async function main(): Promise<void> {
  const state = Object.fromEntries(SERVICES.map((s) => [s, { latency: 0.5, failing: false, calls: 0 }])) as Record<
    ServiceName,
    { latency: number; failing: boolean; calls: number }
  >;
  const server = await startLocalServer(servicesApp(state));
  const orchestrator = new ServiceOrchestrator(server.baseUrl);
  const timed = async (userId: number) => {
    const elapsed = stopwatch();
    const dashboard = await orchestrator.getUserDashboard(userId);
    return { dashboard, seconds: elapsed() };
  };
  try {
    await (await fetch(`${server.baseUrl}/warm-up/0`)).arrayBuffer(); // loads the HTTP client before timing
    console.log('=== Service Orchestrator ===');
    console.log('Each service answers in 0.5 s');

    console.log('\n--- Sequential vs parallel (user 1) ---');
    let elapsed = stopwatch();
    await orchestrator.getUserDashboardSequential(1);
    const sequential = elapsed();
    const parallel = await timed(1);
    console.log(`Sequential: ${sequential.toFixed(2)} seconds`);
    console.log(`Parallel: ${parallel.seconds.toFixed(2)} seconds (${describe(parallel.dashboard)})`);
    console.log(`Speed-up: ${(sequential / parallel.seconds).toFixed(1)}x`);

    console.log('\n--- Cache (TTL 5 s) ---');
    const callsBefore = orchestrator.serviceCalls;
    const cached = await timed(1);
    console.log(
      `Dashboard for user 1 again: ${cached.seconds.toFixed(2)} seconds (${orchestrator.cache.hits} cache hits, ${orchestrator.serviceCalls - callsBefore} service calls)`,
    );

    console.log('\n--- Partial failure: recommendations answers 503 ---');
    state.recommendations.failing = true;
    for (const userId of [2, 3, 4]) {
      const r = await timed(userId);
      console.log(`User ${userId}: ${r.seconds.toFixed(2)} seconds, ${describe(r.dashboard)}`);
    }
    const callsWhenOpened = state.recommendations.calls;
    const open = await timed(5);
    console.log(`User 5: ${open.seconds.toFixed(2)} seconds, ${describe(open.dashboard)}`);
    console.log(`Requests that reached recommendations while the circuit was open: ${state.recommendations.calls - callsWhenOpened}`);

    console.log('\n--- Timeout: notifications takes 3 s, budget 1.5 s ---');
    state.notifications.latency = 3;
    const slow = await timed(6);
    console.log(`User 6: ${slow.seconds.toFixed(2)} seconds, ${describe(slow.dashboard)}`);
    state.notifications.latency = 0.5;

    console.log('\n--- Recovery ---');
    state.recommendations.failing = false;
    await sleep(2); // the breaker's reset timeout
    const recovered = await timed(7);
    console.log(`User 7: ${recovered.seconds.toFixed(2)} seconds, ${describe(recovered.dashboard)}`);

    console.log('\n--- Trace of the last dashboard (trace id sent with every call) ---');
    for (const span of recovered.dashboard.spans) {
      console.log(`${span.service.padEnd(16)} ${span.start.toFixed(2)} -> ${span.end.toFixed(2)} s  ${span.outcome}`);
    }
  } finally {
    await server.close();
  }
}

runMain(main);
