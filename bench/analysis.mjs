// `npm run bench:analysis`: the analysis engine on generated traces of each shape
// (bench/analysis-shapes.ts) at 100 thousand, 1 million and 10 million events. Each trace is
// written to a file and analysed in a fresh process as `async-prof report` would (read, model,
// analyses, text report); printed per shape and size: the analysis time (wall and CPU), µs per
// event, peak RSS, bytes per event (peak RSS over the process's RSS before reading), and the
// growth exponent of the time between sizes (1 = linear).
//   node bench/analysis.mjs [--sizes 100000,1000000] [--shapes sequential,fanout] [--json]
// Node runs with its default heap (the claim is that the analysis fits in it).
// Timing figures depend on the machine and what else runs on it: read them as ratios.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const sizes = arg('--sizes', '100000,1000000,10000000').split(',').map(Number);
const shapes = arg('--shapes', 'sequential,fanout,generators,recursion,server,interval,mix').split(',');
const withJson = process.argv.includes('--json');

// The analysis as the CLI bundles it (esbuild, no source maps at run time), in a file of its own.
const outDir = join(root, 'dist', 'bench');
mkdirSync(outDir, { recursive: true });
const runner = join(outDir, 'analysis-run.mjs');
await build({ absWorkingDir: root, entryPoints: ['bench/analysis-run.ts'], outfile: runner, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' });

const tmp = mkdtempSync(join(tmpdir(), 'async-prof-bench-analysis-'));
const run = (args) => {
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
};

const fmt = (v, digits = 0) => v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const rows = [];
console.log(`node ${process.version}, ${(await import('node:os')).cpus().length} cores; shapes: ${shapes.join(', ')}`);
console.log('| shape | events | analysis (wall) | CPU | µs/event | peak RSS | bytes/event | growth exponent (wall) |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const shape of shapes) {
  let previous;
  for (const size of sizes) {
    const file = join(tmp, `${shape}-${size}.trace`);
    run(['--import', 'tsx', 'bench/analysis-generate.ts', shape, String(size), file]);
    const r = run([runner, file, withJson ? 'json' : '']);
    rmSync(file);
    const peakMb = r.peakRssKb / 1024;
    const bytesPerEvent = ((r.peakRssKb - r.baselineRssKb) * 1024) / r.events;
    const exponent = previous ? Math.log(r.totalMs / previous.totalMs) / Math.log(r.events / previous.events) : null;
    rows.push({ shape, ...r, bytesPerEvent, exponent });
    console.log(
      `| ${shape} | ${fmt(r.events)} | ${fmt(r.totalMs)} ms | ${fmt(r.totalCpuMs)} ms | ${fmt((r.totalMs * 1000) / r.events, 2)} | ${fmt(peakMb)} MB | ${fmt(bytesPerEvent)} | ${exponent === null ? '' : fmt(exponent, 2)} |` +
        (r.cutShort.length > 0 ? ` cut short: ${r.cutShort.join('; ')}` : ''),
    );
    previous = r;
  }
}
rmSync(tmp, { recursive: true, force: true });
if (process.argv.includes('--details')) console.log(JSON.stringify(rows, null, 1));
