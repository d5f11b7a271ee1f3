// `npm run bench:flight`: the flight recorder on a server at full load. The express sample runs
// under `async-prof run --keep 10s` for 60 s while autocannon drives /fast and /slow as fast as
// it can; every 5 s this prints the trace's size on disk (the file being written and the kept
// segments) and the resident memory of the script and of the CLI. At 45 s it takes a snapshot
// (`async-prof snapshot <pid>`) and `report --json` reads it: the span of its tasks is printed.
// BENCH_FLIGHT_SECONDS, BENCH_FLIGHT_KEEP and BENCH_FLIGHT_SNAPSHOT_AT change the numbers.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'async-prof.js');
const seconds = Number(process.env.BENCH_FLIGHT_SECONDS ?? 60);
const keep = process.env.BENCH_FLIGHT_KEEP ?? '10s';
const snapshotAt = Number(process.env.BENCH_FLIGHT_SNAPSHOT_AT ?? 45);
const dir = mkdtempSync(join(tmpdir(), 'async-prof-bench-flight-'));
const trace = join(dir, 'server.trace');

const child = spawn(process.execPath, [cli, 'run', '--keep', keep, '--no-serve', '--quiet', '--out', trace, join(root, 'samples', 'express-server', 'server.ts')], {
  cwd: root,
  env: { ...process.env, PORT: '0' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let out = '';
child.stdout.on('data', (d) => (out += d));
child.stderr.on('data', (d) => (out += d));
const closed = new Promise((r) => child.on('close', r));
const { app, scriptPid } = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`no URL: ${out}`)), 30_000);
  const poll = setInterval(() => {
    const app = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    const pid = /snapshot: async-prof snapshot \d+ \(or (\d+)\)/.exec(out)?.[1];
    if (app && pid) {
      clearTimeout(timer);
      clearInterval(poll);
      resolve({ app, scriptPid: Number(pid) });
    }
  }, 50);
});

const onDisk = () => {
  let total = existsSync(trace) ? statSync(trace).size : 0;
  const segments = `${trace}.window`;
  if (existsSync(segments)) for (const name of readdirSync(segments)) total += statSync(join(segments, name), { throwIfNoEntry: false })?.size ?? 0;
  return total;
};
const rssMb = (pid) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
  } catch {
    return Number.NaN;
  }
};

const started = performance.now();
const load = Promise.all(['/fast', '/slow'].map((path) => autocannon({ url: `${app}${path}`, connections: 10, duration: seconds })));
console.log(`express sample under run --keep ${keep}, autocannon on /fast and /slow (10 connections each) for ${seconds} s:`);
console.log('   time   on disk   script RSS   CLI RSS');
let snapshot = null;
while (performance.now() - started < seconds * 1000) {
  await new Promise((r) => setTimeout(r, 5000));
  const at = (performance.now() - started) / 1000;
  console.log(`  ${at.toFixed(0).padStart(4)} s  ${(onDisk() / 1024 ** 2).toFixed(1).padStart(6)} MB  ${rssMb(scriptPid).toFixed(0).padStart(7)} MB  ${rssMb(child.pid).toFixed(0).padStart(6)} MB`);
  if (!snapshot && at >= snapshotAt) {
    const target = join(dir, 'snapshot.trace');
    const taken = performance.now();
    const result = spawnSync(process.execPath, [cli, 'snapshot', String(scriptPid), '-o', target], { encoding: 'utf8' });
    snapshot = { target, ms: performance.now() - taken, at, ok: result.status === 0, err: result.stderr };
  }
}
const results = await load;
child.kill('SIGINT');
await closed;
const requests = results.reduce((sum, r) => sum + r.requests.total, 0);
console.log(`  ${requests} requests in all (${(requests / seconds).toFixed(0)}/s)`);
if (snapshot?.ok) {
  const report = spawnSync(process.execPath, [cli, 'report', '--json', snapshot.target], { encoding: 'utf8', maxBuffer: 1024 ** 3 });
  const json = JSON.parse(report.stdout);
  const starts = json.tasks.map((t) => t.startMs);
  const first = Math.min(...starts) / 1000;
  const last = Math.max(...starts) / 1000;
  console.log(
    `snapshot at ${snapshot.at.toFixed(0)} s (written in ${snapshot.ms.toFixed(0)} ms, ${(statSync(snapshot.target).size / 1024 ** 2).toFixed(1)} MB): report reads it (exit ${report.status}), ` +
      `${json.tasks.length} tasks started from ${first.toFixed(1)} s to ${last.toFixed(1)} s of the run (${(last - first).toFixed(1)} s); handlers: ${json.handlers.map((h) => `${h.name} ${h.count}`).join(', ')}`,
  );
} else console.log(`snapshot failed: ${snapshot?.err}`);
const final = statSync(trace).size;
console.log(`the run's own trace (the last window): ${(final / 1024 ** 2).toFixed(1)} MB`);
