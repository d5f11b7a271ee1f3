// `npm run bench` (second part): the cost of `run --live` on a server's throughput. The express
// sample (samples/express-server/server.ts) under autocannon, /fast and /slow at once for a few
// seconds, three ways in turn, round after round: bare (node with tsx's flags), `async-prof run`,
// and `async-prof run --live` with a page's worth of fetching (the view data each time the server
// says there is newer). Prints requests per second and their ratios (medians over the rounds).
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { median } from 'simple-statistics';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const tsxFlags = ['--require', require.resolve('tsx/preflight'), '--import', pathToFileURL(require.resolve('tsx')).href];
const cli = join(root, 'bin', 'async-prof.js');
const server = join(root, 'samples', 'express-server', 'server.ts');
const rounds = Number(process.env.BENCH_LIVE_ROUNDS ?? 3);
const seconds = Number(process.env.BENCH_LIVE_SECONDS ?? 5);
const tmp = mkdtempSync(join(tmpdir(), 'async-prof-bench-live-'));

const MODES = {
  bare: () => [...tsxFlags, server],
  run: (i) => [cli, 'run', '--no-serve', '--quiet', '--out', join(tmp, `run-${i}.trace`), server],
  live: (i) => [cli, 'run', '--live', '--no-open', '--quiet', '--port', '0', '--out', join(tmp, `live-${i}.trace`), server],
};

/** Starts one way of running the server; resolves with its URL (and the live page's, if any). */
function start(mode, i) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, MODES[mode](i), { cwd: root, env: { ...process.env, BROWSER: 'none', PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${mode}: no URL: ${out}`)), 30_000);
    const check = () => {
      const app = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      const page = /^(http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(out)?.[1];
      if (app && (mode !== 'live' || page)) {
        clearTimeout(timer);
        resolve({ child, app, page });
      }
    };
    child.stdout.on('data', (d) => ((out += d), check()));
    child.stderr.on('data', (d) => ((out += d), check()));
  });
}

/** What a live page does: listen to the server's events and fetch the view data each time it says there is newer (never two at once). */
function pageLoad(page) {
  let stop = false;
  let fetched = 0;
  let newer = true;
  const events = new AbortController();
  void (async () => {
    try {
      const response = await fetch(`${page}live/events`, { signal: events.signal });
      const decoder = new TextDecoder();
      for await (const chunk of response.body) if (decoder.decode(chunk, { stream: true }).includes('event: version')) newer = true;
    } catch {
      // Stopped.
    }
  })();
  const loop = async () => {
    while (!stop) {
      if (newer) {
        newer = false;
        try {
          const response = await fetch(`${page}data/view.bin`);
          await response.arrayBuffer();
          fetched++;
        } catch {
          // The server is going away.
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const done = loop();
  return async () => {
    stop = true;
    events.abort();
    await done;
    return fetched;
  };
}

async function measure(mode, i) {
  const { child, app, page } = await start(mode, i);
  const stopPage = page ? pageLoad(page) : null;
  const [fast, slow] = await Promise.all(
    ['/fast', '/slow'].map((path) => autocannon({ url: `${app}${path}`, connections: 10, duration: seconds })),
  );
  const fetched = stopPage ? await stopPage() : 0;
  const closed = new Promise((r) => child.on('close', r));
  child.kill('SIGINT');
  // `run --live` keeps serving the finished run until a second Ctrl-C.
  const second = setTimeout(() => child.kill('SIGINT'), 3000);
  await closed;
  clearTimeout(second);
  return { rps: (fast.requests.total + slow.requests.total) / seconds, fetched };
}

const results = { bare: [], run: [], live: [] };
for (let i = 0; i < rounds; i++) {
  for (const mode of Object.keys(MODES)) {
    const { rps, fetched } = await measure(mode, i);
    results[mode].push(rps);
    console.log(`round ${i + 1}/${rounds}  ${mode.padEnd(4)}  ${rps.toFixed(0)} requests/s${mode === 'live' ? `  (the page fetched the view data ${fetched} times)` : ''}`);
  }
}
const m = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)]));
console.log(`\nexpress sample, /fast + /slow, 10 connections each, ${seconds} s, median of ${rounds} rounds:`);
console.log(`  bare ${m.bare.toFixed(0)} req/s   run ${m.run.toFixed(0)} req/s   run --live ${m.live.toFixed(0)} req/s`);
console.log(`  run / bare ${(m.run / m.bare).toFixed(2)}   run --live / bare ${(m.live / m.bare).toFixed(2)}   run --live / run ${(m.live / m.run).toFixed(2)} (target: at least 0.90)`);
