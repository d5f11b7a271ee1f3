// `npm run bench`: the cost of profiling, measured side by side in one run (bare vs instrumented,
// alternating), printed as ratios. Not a test: machines are noisy, so read the ratios, not the ms.
//
// "bare" runs the script exactly as tsx runs it (node with tsx's own flags); "instrumented" adds
// the profiler's preload, as `async-prof run` does, so the only difference is the profiler.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median as ssMedian, quantile, sampleWithReplacement } from 'simple-statistics';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const preload = pathToFileURL(join(root, 'dist', 'instrument', 'preload.js')).href;
const require = createRequire(import.meta.url);
const tsxFlags = ['--require', require.resolve('tsx/preflight'), '--import', pathToFileURL(require.resolve('tsx')).href];
const tmp = mkdtempSync(join(tmpdir(), 'async-prof-bench-'));
// Twenty-one rounds: on a shared 2-core machine single runs of the same build vary by up to 2x
// (the whole process runs in a fast or a slow mode, bare or not), so only medians mean anything,
// and the printed interval says how far this run's median can be trusted.
const rounds = Number(process.env.BENCH_ROUNDS ?? 21);
const quick = process.argv.includes('--quick');

function runOnce(script, { instrumented, env = {}, trace }) {
  const args = instrumented ? [...tsxFlags, '--import', preload, script] : [...tsxFlags, script];
  const result = spawnSync(process.execPath, args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env, ...(instrumented ? { ASYNC_PROF_TRACE: trace, ASYNC_PROF_RUNTIME: 'tsx', ASYNC_PROF_CWD: root } : {}) },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`${script} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

const median = (values) => ssMedian([...values]);

/**
 * Where the median of these per-round ratios lies, 90% of the time: the 5th and 95th percentiles
 * of the medians of 2,000 resamples (a fixed seed, so that the same runs print the same interval).
 */
function bootstrapMedianInterval(values) {
  let seed = 0x9e3779b9;
  const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const medians = Array.from({ length: 2000 }, () => ssMedian(sampleWithReplacement(values, values.length, random)));
  return [quantile(medians, 0.05), quantile(medians, 0.95)];
}

/** Events in a trace (format version 2, docs/trace-format.md): the sum of its event records' counts. */
function countEvents(trace) {
  const bytes = readFileSync(trace);
  let offset = 16;
  let events = 0;
  while (offset + 24 <= bytes.length) {
    const kind = bytes.readUInt16LE(offset + 4);
    const length = bytes.readUInt32LE(offset + 8);
    if (kind === 2) events += bytes.readUInt32LE(offset + 24 + 8);
    offset += 24 + length;
  }
  return events;
}

const lines = [];
const print = (line) => {
  lines.push(line);
  console.log(line);
};

// 0. CPU-bound worker threads: the profiler records each thread (its own recorder, sampling
// profiler and lag probe). Work once the threads run, and the threads' start-up, separately.
{
  const script = join('bench', 'workloads', 'worker-pool.ts');
  const bare = { work: [], start: [] };
  const inst = { work: [], start: [] };
  for (let i = 0; i < rounds; i++) {
    for (const [v, instrumented] of i % 2 === 0 ? [[bare, false], [inst, true]] : [[inst, true], [bare, false]]) {
      const path = join(tmp, 'pool.trace');
      rmSync(path, { force: true });
      const out = JSON.parse(runOnce(script, { instrumented, trace: path }));
      v.work[i] = out.workloadMs;
      v.start[i] = out.startMs;
    }
  }
  const ratio = (a, b) => {
    const ratios = a.map((ms, i) => ms / b[i]);
    const [low, high] = bootstrapMedianInterval(ratios);
    return `${median(ratios).toFixed(2)}x (90% interval ${low.toFixed(2)}-${high.toFixed(2)})`;
  };
  print(`worker pool (4 worker threads, 32 CPU-bound jobs), ${rounds} rounds:`);
  print(`  work: bare ${median(bare.work).toFixed(0)} ms, instrumented ${median(inst.work).toFixed(0)} ms; instrumented / bare: ${ratio(inst.work, bare.work)} (target <= 1.1)`);
  print(`  threads' start-up: bare ${median(bare.start).toFixed(0)} ms, instrumented ${median(inst.start).toFixed(0)} ms; ${ratio(inst.start, bare.start)}`);
}
if (process.env.BENCH_ONLY === 'workers') process.exit(0);

// 1. Promise-heavy microbenchmark: bare, instrumented (defaults), and instrumented without V8's
// sampling profiler (--sampling-interval 0), in a rotating order each round.
{
  const script = join('bench', 'workloads', 'promise-heavy.ts');
  const variants = [
    { label: 'bare', instrumented: false, env: {}, ms: [] },
    { label: 'instrumented', instrumented: true, env: {}, ms: [] },
    { label: 'no sampling', instrumented: true, env: { ASYNC_PROF_SAMPLING_US: '0' }, ms: [] },
    { label: 'hooks', instrumented: true, env: { ASYNC_PROF_HOOKS: '1' }, ms: [] },
  ];
  let trace;
  for (let i = 0; i < rounds; i++) {
    for (let k = 0; k < variants.length; k++) {
      const v = variants[(i + k) % variants.length];
      // One file per variant, replaced each round: 21 rounds of 35 MB traces left on disk had the
      // kernel writing them back during later runs, load that a single run never sees.
      const path = join(tmp, `ph-${v.label.replace(/ /g, '-')}.trace`);
      rmSync(path, { force: true });
      v.ms[i] = JSON.parse(runOnce(script, { instrumented: v.instrumented, env: v.env, trace: path })).workloadMs;
      if (v.label === 'instrumented') trace = path;
    }
  }
  const [bare, inst, noSampling, hooks] = variants;
  const ratioLine = (v) => {
    const ratios = v.ms.map((ms, i) => ms / bare.ms[i]);
    const [low, high] = bootstrapMedianInterval(ratios);
    return `${median(ratios).toFixed(2)}x (90% interval ${low.toFixed(2)}-${high.toFixed(2)})`;
  };
  print(`promise-heavy (200k sequential awaited calls x2 inner, 20k concurrent, 2,000 timers), ${rounds} rounds:`);
  print(`  bare ${median(bare.ms).toFixed(0)} ms, instrumented ${median(inst.ms).toFixed(0)} ms, without sampling profiler ${median(noSampling.ms).toFixed(0)} ms (medians)`);
  print(`  instrumented / bare: ${ratioLine(inst)} (median of per-round ratios; required <= 2.0, aim 1.5)`);
  print(`  with --sampling-interval 0 (no blocking attribution): ${ratioLine(noSampling)}`);
  print(`  with --hooks (every promise, timer and I/O through async_hooks as well): ${ratioLine(hooks)}`);
  print(`  fastest runs: bare ${Math.min(...bare.ms).toFixed(0)} ms, instrumented ${Math.min(...inst.ms).toFixed(0)} ms (${(Math.min(...inst.ms) / Math.min(...bare.ms)).toFixed(2)}x)`);
  const events = countEvents(trace);
  print(`  trace: ${events.toLocaleString('en')} events, ${(statSync(trace).size / 1e6).toFixed(1)} MB, ${((statSync(trace).size / events) * 1e6 / 1e6).toFixed(1)} MB per million events`);
}

// 2. Memory with ~10 million events.
{
  const script = join('bench', 'workloads', 'ten-million-events.ts');
  const trace = join(tmp, 'ten-million.trace');
  const bare = JSON.parse(runOnce(script, { instrumented: false, trace: join(tmp, 'ten-million-bare.trace') }));
  const inst = JSON.parse(runOnce(script, { instrumented: true, trace }));
  const events = countEvents(trace);
  print(`ten million events (1.25M awaited calls with two inner awaits each):`);
  print(`  ${events.toLocaleString('en')} events; peak RSS bare ${(bare.maxRssKb / 1024).toFixed(0)} MB, instrumented ${(inst.maxRssKb / 1024).toFixed(0)} MB (x${(inst.maxRssKb / bare.maxRssKb).toFixed(2)})`);
  print(`  trace ${(statSync(trace).size / 1e6).toFixed(0)} MB = ${(statSync(trace).size / events).toFixed(1)} bytes per event; wall ${(inst.workloadMs / bare.workloadMs).toFixed(2)}x bare`);
  rmSync(trace, { force: true });
}

// 3. Timer- and I/O-bound: the download manager at full scale (about 14 s per run).
if (!quick) {
  const script = join('samples', 'download-manager.ts');
  const totals = (out) => {
    const seq = Number(/Sequential: ([\d.]+) seconds/.exec(out)?.[1]);
    const par = Number(/Parallel: ([\d.]+) seconds/.exec(out)?.[1]);
    return (seq + par) * 1000;
  };
  const bare = totals(runOnce(script, { instrumented: false, env: { SAMPLE_TIME_SCALE: '1' }, trace: join(tmp, 'dm-bare.trace') }));
  const inst = totals(runOnce(script, { instrumented: true, env: { SAMPLE_TIME_SCALE: '1' }, trace: join(tmp, 'dm.trace') }));
  print(`download manager at full scale (sequential + parallel phases, as the sample times them):`);
  print(`  bare ${(bare / 1000).toFixed(3)} s, instrumented ${(inst / 1000).toFixed(3)} s: overhead ${(((inst - bare) / bare) * 100).toFixed(2)}% of wall time (required <= 1%)`);
}
