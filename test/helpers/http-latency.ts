// The express sample under `async-prof run`, loaded by one autocannon instance per route (so that
// its latency figures are per route), then stopped with SIGINT: what the load generator measured
// beside what the report says of the same requests (its `requests` rows: each request from when
// the process read it to its response's end, and the handler task's own duration). Used by
// test/http-requests.test.ts; prints one line per route.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import autocannon from 'autocannon';
import type { ReportJson } from '../../src/report/report-json.js';
import { cli, repoRoot } from '../fixtures/viewer/harness.js';

export const serverScript = join('samples', 'express-server', 'server.ts');

export type Setting = 'slow' | 'fast+slow' | 'all';

/** Requests per route: fixed counts (autocannon's `amount`), so that the server's count can equal them (SLOW_CONNECTIONS, SLOW_AMOUNT: /slow alone's, for measuring by hand). */
const ROUTES: Record<Setting, [path: string, options: Partial<autocannon.Options>][]> = {
  // Few connections: a client that gets ten answers at once parses them one after another, which no server sees.
  slow: [['/slow', { connections: Number(process.env.SLOW_CONNECTIONS ?? 3), amount: Number(process.env.SLOW_AMOUNT ?? 600) }]],
  'fast+slow': [
    ['/fast', { connections: 10, amount: 3000 }],
    ['/slow', { connections: 10, amount: 1000 }],
  ],
  // /block holds the loop 60 ms a request: two a second, as the sample's load.ts sends them.
  all: [
    ['/fast', { connections: 10, amount: 3000 }],
    ['/slow', { connections: 10, amount: 1000 }],
    ['/block', { connections: 1, overallRate: 2, amount: 8 }],
  ],
};

export interface RouteFigures {
  path: string;
  sent: number;
  errors: number;
  loadP50: number;
  loadP99: number;
  /** The report's request row for `GET <path>` (span: read to response finished). */
  count: number;
  spanP50: number;
  spanP99: number;
  beforeHandlerP99: number;
  /** The span from the loop's last idle moment before the read: an upper bound. */
  upperP99: number;
  /** The handler task's own duration (the per-handler row of its function). */
  handlerP50: number;
  handlerP99: number;
  handlerCount: number;
  /** The load generator's own event-loop delay, p99 (ms): part of its latency no server sees. */
  clientLoopP99: number;
}

export async function measure(setting: Setting): Promise<RouteFigures[]> {
  const out = process.env.HTTP_LATENCY_TRACE ?? join(mkdtempSync(join(tmpdir(), 'async-prof-http-')), 'server.trace');
  const child = spawn(process.execPath, [cli, 'run', '--json', '--no-serve', '--out', out, serverScript], {
    cwd: repoRoot,
    env: { ...process.env, BROWSER: 'none', PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<void>((done) => child.on('close', () => done()));
  try {
    const base = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL: ${stdout} ${stderr}`)), 30_000);
      const check = () => {
        const app = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
        if (app) {
          clearTimeout(timer);
          resolve(app);
        }
      };
      child.stdout.on('data', check);
    });
    const routes = ROUTES[setting];
    // The load generator's own loop: how late it got to what was ready (its latency figures include that).
    const clientLoop = monitorEventLoopDelay({ resolution: 1 });
    clientLoop.enable();
    const results = await Promise.all(routes.map(([path, options]) => autocannon({ ...options, url: new URL(path, base).href })));
    clientLoop.disable();
    const clientLoopP99 = Math.round(clientLoop.percentile(99) / 1e4) / 100;
    child.kill('SIGINT');
    await exited;
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as ReportJson;
    const figures = routes.map(([path], i): RouteFigures => {
      const r = results[i]!;
      const row = report.requests.find((q) => q.route === `GET ${path}`);
      const handler = row?.handler ? report.handlers.find((h) => h.name === row.handler!.name && h.line === row.handler!.line) : undefined;
      return {
        path,
        sent: r.requests.total,
        errors: r.errors + r.non2xx,
        loadP50: r.latency.p50,
        loadP99: r.latency.p99,
        count: row?.count ?? 0,
        spanP50: row?.p50Ms ?? Number.NaN,
        spanP99: row?.p99Ms ?? Number.NaN,
        beforeHandlerP99: row?.beforeHandlerP99Ms ?? Number.NaN,
        upperP99: row?.upperP99Ms ?? Number.NaN,
        handlerP50: handler?.p50Ms ?? Number.NaN,
        handlerP99: handler?.p99Ms ?? Number.NaN,
        handlerCount: handler?.count ?? 0,
        clientLoopP99,
      };
    });
    for (const f of figures) {
      console.log(
        `${setting.padEnd(10)} ${f.path.padEnd(7)} sent ${f.sent} seen ${f.count} (handler ${f.handlerCount})  p50 load ${f.loadP50} span ${f.spanP50} handler ${f.handlerP50}  ` +
          `p99 load ${f.loadP99} span ${f.spanP99} (upper ${f.upperP99}) handler ${f.handlerP99}  before handler p99 ${f.beforeHandlerP99}  client loop delay p99 ${f.clientLoopP99}`,
      );
    }
    return figures;
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
