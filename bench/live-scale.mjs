// `npm run bench:live-scale`: what one refresh of `run --live` costs as a run grows. The express
// sample under a steady load (autocannon at a fixed rate on /fast and /slow, 127.0.0.1) for
// LIVE_SCALE_MINUTES (default 5) minutes, recorded with `async-prof run`; the trace's size is noted
// at every minute. A trace being written is at every moment a prefix of the finished one, so each
// minute's state is that prefix: each is read, modelled, shaped and encoded as a live refresh does
// it (src/server/live-refresh.ts), with the whole run and with the default horizon (older time as
// aggregates); the time (median of three after one warm-up, and its parts) and the view data's
// size are printed.
// `node bench/live-scale.mjs <trace> <size1,size2,...>` measures an existing recording.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, openSync, closeSync, ftruncateSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { tsImport } from 'tsx/esm/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'async-prof.js');
const server = join(root, 'samples', 'express-server', 'server.ts');
const minutes = Number(process.env.LIVE_SCALE_MINUTES ?? 5);
const tmp = mkdtempSync(join(tmpdir(), 'async-prof-live-scale-'));

async function record() {
  const trace = join(tmp, 'server.trace');
  const child = spawn(process.execPath, [cli, 'run', '--no-serve', '--quiet', '--out', trace, server], { cwd: root, env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL: ${out}`)), 30_000);
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const app = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      if (app) {
        clearTimeout(timer);
        resolve(app);
      }
    });
  });
  const duration = minutes * 60;
  const load = Promise.all([
    autocannon({ url: `${base}/fast`, connections: 4, overallRate: 200, duration }),
    autocannon({ url: `${base}/slow`, connections: 10, overallRate: 100, duration }),
  ]);
  const sizes = [];
  for (let m = 1; m <= minutes; m++) {
    await new Promise((r) => setTimeout(r, 60_000));
    sizes.push(statSync(trace).size);
    console.log(`minute ${m}: trace ${(sizes.at(-1) / 1e6).toFixed(1)} MB`);
  }
  await load;
  child.kill('SIGINT');
  await new Promise((r) => child.on('close', r));
  return { trace, sizes };
}

/** One configuration in a process of its own (no heap left over from the one before): its line. */
async function measureHere(prefix, horizon, label) {
  const { liveRefresh } = await tsImport('../src/server/live-refresh.ts', import.meta.url);
  const runs = [];
  for (let k = 0; k < 4; k++) {
    const started = performance.now();
    const result = liveRefresh(prefix, { unfinishedBecause: 'it is being written', ...(horizon === 'whole' ? { horizonMs: Number.POSITIVE_INFINITY } : {}) });
    runs.push({ ms: performance.now() - started, bytes: result.data.reduce((sum, part) => sum + part.byteLength, 0), tasks: result.tasks, ...result.timings });
  }
  // One warm-up, then the median of three.
  const median = (key) => runs.slice(1).map((r) => r[key]).sort((a, b) => a - b)[1];
  const { bytes, tasks } = runs.at(-1);
  console.log(
    `${label} ${horizon === 'whole' ? 'whole run  ' : 'horizon 3m '}  refresh ${median('ms').toFixed(0)} ms ` +
      `(read ${median('readMs').toFixed(0)}, fold ${median('foldMs').toFixed(0)}, model+analyses ${median('modelMs').toFixed(0)}, view ${median('viewMs').toFixed(0)})  view data ${(bytes / 1e6).toFixed(2)} MB  ${tasks} tasks`,
  );
}

if (process.argv[2] === '--measure') {
  await measureHere(process.argv[3], process.argv[4], process.argv[5]);
} else {
  const given = process.argv[2];
  const { trace, sizes } = given ? { trace: given, sizes: process.argv[3].split(',').map(Number) } : await record();
  for (const [i, size] of sizes.entries()) {
    const prefix = join(tmp, `prefix-${i}.trace`);
    copyFileSync(trace, prefix);
    const fd = openSync(prefix, 'r+');
    ftruncateSync(fd, size);
    closeSync(fd);
    const label = `${given ? `prefix ${i + 1}` : `minute ${i + 1}`} (${(size / 1e6).toFixed(1)} MB)`;
    for (const horizon of ['whole', 'default']) {
      spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--measure', prefix, horizon, label], { stdio: 'inherit' });
    }
  }
}
