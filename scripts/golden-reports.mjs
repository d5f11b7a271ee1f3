// The report JSON (and text) of a fixed set of recorded traces, kept as a golden set: an engine
// rewrite must print the same JSON, byte for byte, on the same traces.
//
//   node scripts/golden-reports.mjs record <dir>    record a trace of every sample (and a few
//                                                    fixtures), then save report --json and report
//                                                    of each with the current build
//   node scripts/golden-reports.mjs compare <dir>   re-run report --json / report on the saved
//                                                    traces with the current build and list every
//                                                    difference (exit 1 if the JSON differs); the
//                                                    differing reports are kept as <name>.new.json
//   scripts/golden-accept.sh <dir>                   takes those as the new golden set, after a
//                                                    deliberate change of meaning
//
// The traces live outside the repository (e.g. /tmp/golden): they are large and machine-specific.
// Run `node scripts/build.mjs` first; the samples run with SAMPLE_TIME_SCALE=0.1, SAMPLE_SEED=42.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'async-prof.js');

/** [name, script, args]: every sample, plus fixtures and a workload that reach other analysis paths. */
function cases() {
  const list = readdirSync(join(root, 'samples'))
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => [basename(f, '.ts'), join('samples', f), []]);
  list.push(['await-in-loop-fixed', 'samples/await-in-loop.ts', ['--fixed']]);
  for (const f of ['await-chain.ts', 'timers-together.ts', 'blocks-at-start.ts', 'hot-from-two-callers.ts', 'busy-method.ts', 'unhandled.ts', 'real-io.ts']) {
    list.push([`core-${basename(f, '.ts')}`, join('test', 'fixtures', 'core', f), []]);
  }
  for (const f of readdirSync(join(root, 'test', 'fixtures', 'analysis')).filter((f) => f.endsWith('.ts') && f !== 'profile.ts').sort()) {
    list.push([`analysis-${basename(f, '.ts')}`, join('test', 'fixtures', 'analysis', f), []]);
  }
  list.push(['promise-heavy-5000', 'bench/workloads/promise-heavy.ts', ['5000']]);
  return list;
}

function cliRun(args, extraEnv = {}) {
  return spawnSync(process.execPath, [cli, ...args], {
    cwd: root,
    env: { ...process.env, SAMPLE_TIME_SCALE: '0.1', SAMPLE_SEED: '42', ...extraEnv },
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    timeout: 300_000,
  });
}

function reports(trace) {
  const json = cliRun(['report', '--json', trace]);
  const text = cliRun(['report', trace]);
  return { json: json.stdout, jsonCode: json.status, text: text.stdout, textCode: text.status, stderr: json.stderr };
}

const [mode, dir] = process.argv.slice(2);
if (!dir || (mode !== 'record' && mode !== 'compare')) {
  console.error('usage: node scripts/golden-reports.mjs record|compare <dir>');
  process.exit(2);
}

if (mode === 'record') {
  mkdirSync(dir, { recursive: true });
  for (const [name, script, args] of cases()) {
    const trace = join(dir, `${name}.trace`);
    if (!existsSync(trace)) {
      const run = cliRun(['run', '--no-serve', '--quiet', '--out', trace, script, ...args]);
      if (!existsSync(trace)) {
        console.error(`${name}: no trace (exit ${run.status}): ${run.stderr.trim().split('\n').pop()}`);
        continue;
      }
    }
    const r = reports(trace);
    writeFileSync(join(dir, `${name}.json`), r.json);
    writeFileSync(join(dir, `${name}.txt`), r.text);
    console.log(`${name}: ${r.json.length} bytes of JSON (exit ${r.jsonCode})`);
  }
} else {
  let jsonDiffs = 0;
  let textDiffs = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.trace')).sort()) {
    const name = basename(file, '.trace');
    const goldenJson = join(dir, `${name}.json`);
    if (!existsSync(goldenJson)) continue;
    const r = reports(join(dir, file));
    // Copies from an earlier comparison would be taken for this one's.
    rmSync(join(dir, `${name}.new.json`), { force: true });
    rmSync(join(dir, `${name}.new.txt`), { force: true });
    const json = readFileSync(goldenJson, 'utf8');
    const text = readFileSync(join(dir, `${name}.txt`), 'utf8');
    if (r.json !== json) {
      jsonDiffs++;
      writeFileSync(join(dir, `${name}.new.json`), r.json);
      console.log(`${name}: JSON DIFFERS (${json.length} -> ${r.json.length} bytes; new copy in ${name}.new.json)${r.stderr ? `\n  ${r.stderr.trim()}` : ''}`);
      describeJsonDiff(json, r.json);
    } else console.log(`${name}: JSON identical`);
    if (r.text !== text) {
      textDiffs++;
      writeFileSync(join(dir, `${name}.new.txt`), r.text);
      console.log(`${name}: text differs (new copy in ${name}.new.txt)`);
    }
  }
  console.log(`\n${jsonDiffs} JSON and ${textDiffs} text reports differ`);
  process.exit(jsonDiffs > 0 ? 1 : 0);
}

/** The top-level fields that differ, and the first differing position of each. */
function describeJsonDiff(before, after) {
  let a;
  let b;
  try {
    a = JSON.parse(before);
    b = JSON.parse(after);
  } catch {
    console.log('  (not JSON)');
    return;
  }
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = JSON.stringify(a[key]);
    const y = JSON.stringify(b[key]);
    if (x === y) continue;
    let i = 0;
    while (i < Math.min(x?.length ?? 0, y?.length ?? 0) && x[i] === y[i]) i++;
    console.log(`  ${key}: at ${i}: ${x?.slice(Math.max(0, i - 60), i + 100)}\n  ${' '.repeat(key.length)}  now: ${y?.slice(Math.max(0, i - 60), i + 100)}`);
  }
  const keysA = Object.keys(a).join(',');
  const keysB = Object.keys(b).join(',');
  if (keysA !== keysB) console.log(`  key order: ${keysA}\n        now: ${keysB}`);
}
