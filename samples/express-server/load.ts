// A bounded local load on samples/express-server/server.ts, with autocannon, against 127.0.0.1
// only: REQUESTS requests to /fast and to /slow (and one in 40 of that to /block), or, without
// REQUESTS, DURATION seconds (default 10); CONNECTIONS connections (default 10) on /fast and /slow,
// and /block at 2 requests a second (each holds the loop 60 ms: more would be all you see). Then one
// line per route with its requests and autocannon's own latency figures, to set beside the
// per-handler table of async-prof's report. Usage: node --import tsx load.ts http://127.0.0.1:<port>
import autocannon from 'autocannon';

const base = process.argv[2];
if (!base || !/^http:\/\/(127\.0\.0\.1|localhost):\d+\/?$/.test(base)) {
  console.error('usage: load.ts http://127.0.0.1:<port>   (a local server only)');
  process.exit(2);
}
const duration = Number(process.env.DURATION ?? 10);
const requests = process.env.REQUESTS ? Number(process.env.REQUESTS) : undefined;
const connections = Number(process.env.CONNECTIONS ?? 10);
const routes: [path: string, options: Partial<autocannon.Options>][] = [
  ['/fast', { connections, ...(requests ? { amount: requests } : { duration }) }],
  ['/slow', { connections, ...(requests ? { amount: requests } : { duration }) }],
  ['/block', { connections: 1, overallRate: 2, ...(requests ? { amount: Math.max(1, Math.round(requests / 40)) } : { duration }) }],
];

const results = await Promise.all(routes.map(([path, options]) => autocannon({ ...options, url: new URL(path, base).href })));
for (const [i, [path]] of routes.entries()) {
  const r = results[i]!;
  // Every request sent got an answer (non-2xx and errors are counted apart).
  console.log(
    `${path.padEnd(7)} ${String(r.requests.total).padStart(6)} requests  ${r.requests.average.toFixed(0)} req/s  latency p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  max ${r.latency.max} ms  errors ${r.errors + r.non2xx}`,
  );
}
console.log(`json ${JSON.stringify(Object.fromEntries(routes.map(([path], i) => [path, { requests: results[i]!.requests.total, p50: results[i]!.latency.p50, p99: results[i]!.latency.p99, errors: results[i]!.errors + results[i]!.non2xx }])))}`);
