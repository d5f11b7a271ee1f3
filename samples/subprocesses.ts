// Seed 004 (AsyncIO guide) §3 "Subprocesses: asyncio.create_subprocess_exec" (run a command, read stdout/stderr
// without blocking) and its challenge 3 (five subprocesses at once, outputs aggregated). The children are real
// processes: this same Node binary (`process.execPath -e ...`), so nothing needs to be installed.
//
// Timeline: one short child (`node --version`); five children run one after another, then the same five all at
// once — the concurrent batch takes about as long as the slowest child plus start-up, not the sum; a child that
// fails; a child whose output lines are read as they arrive (0.5 s apart); a child killed by a 0.3 s timeout.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { scaled } from './lib/env.js';
import { stopwatch } from './lib/b-async.js';

interface Completed {
  returncode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * The children get a small, explicit environment instead of inheriting ours: nothing inherited (NODE_OPTIONS,
 * NODE_EXTRA_CA_CERTS loading a certificate bundle, ...) changes how they start or how long start-up takes.
 */
const childEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '', LANG: process.env.LANG ?? 'C' };

/** create_subprocess_exec + communicate(): runs the command, collects both pipes, resolves when it exits. */
async function run(command: string, args: string[], options: { signal?: AbortSignal } = {}): Promise<Completed> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], signal: options.signal, env: childEnv });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  // An abort (options.signal) kills the child and also emits 'error'; the outcome is reported by 'close' either way.
  child.on('error', () => {});
  return new Promise((resolve) => {
    child.on('close', (returncode, signal) => resolve({ returncode, signal, stdout, stderr }));
  });
}

/** A small Node program for a child: sleeps `ms`, then prints a line computed from its id. */
function childScript(id: number, ms: number): string {
  return `setTimeout(() => { let s = 0; for (let i = 1; i <= ${id} * 1000; i++) s += i; console.log('worker ${id}: sum=' + s + ' pid=' + process.pid); }, ${Math.round(ms)});`;
}

async function main(): Promise<void> {
  console.log('== 1. Run a command and read its output ==');
  const version = await run(process.execPath, ['--version']);
  console.log('Return code:', version.returncode);
  console.log('STDOUT:', version.stdout.trim());
  console.log('STDERR:', version.stderr.trim());

  console.log('\n== 2. Five subprocesses: one after another, then concurrently ==');
  const delays = [1.0, 0.6, 0.8, 0.4, 0.2]; // course seconds each child sleeps
  const sumOfSleeps = delays.reduce((a, b) => a + b, 0);
  const startup = performance.now();
  await run(process.execPath, ['-e', '0']); // an empty program: what one start-up costs
  const startupMs = performance.now() - startup;
  let elapsed = stopwatch();
  for (const [i, d] of delays.entries()) await run(process.execPath, ['-e', childScript(i + 1, scaled(d))]);
  const sequential = elapsed();
  elapsed = stopwatch();
  const childTimes: number[] = [];
  const results = await Promise.all(
    delays.map(async (d, i) => {
      const own = stopwatch();
      const result = await run(process.execPath, ['-e', childScript(i + 1, scaled(d))]);
      childTimes.push(own());
      return result;
    }),
  );
  const concurrent = elapsed();
  for (const r of results) console.log(`  ${r.stdout.trim().replace(/ pid=\d+/, '')} (exit ${r.returncode})`);
  console.log(`Aggregated: ${results.length} processes, ${results.filter((r) => r.returncode === 0).length} succeeded`);
  console.log(`One after another: ${sequential.toFixed(2)}s; concurrently: ${concurrent.toFixed(2)}s (sleeps add up to ${sumOfSleeps.toFixed(1)}s, longest ${Math.max(...delays)}s)`);
  // Starting a process is real work that does not scale with SAMPLE_TIME_SCALE, so it is shown in real milliseconds.
  console.log(`(starting one Node process takes about ${startupMs.toFixed(0)} ms of real time here, in both runs)`);
  const busy = childTimes.reduce((a, b) => a + b, 0);
  console.log(`Overlap: the five children's run times add up to ${busy.toFixed(2)}s within ${concurrent.toFixed(2)}s of wall time (${(busy / concurrent).toFixed(1)}x)`);
  const pids = new Set(results.map((r) => r.stdout.match(/pid=(\d+)/)?.[1]));
  console.log(`Distinct process ids: ${pids.size}`);

  console.log('\n== 3. A failing subprocess ==');
  const failed = await run(process.execPath, ['-e', "console.error('something went wrong'); process.exit(3)"]);
  console.log('Return code:', failed.returncode);
  console.log('STDERR:', failed.stderr.trim());

  console.log('\n== 4. Reading output as it arrives ==');
  const streaming = spawn(process.execPath, ['-e', `let i = 0; const t = setInterval(() => { console.log('progress ' + (++i) + '/3'); if (i === 3) clearInterval(t); }, ${Math.round(scaled(0.5))});`], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: childEnv,
  });
  const clock = stopwatch();
  for await (const line of createInterface({ input: streaming.stdout })) console.log(`  at ${clock().toFixed(1)}s: ${line}`);
  if (streaming.exitCode === null) await once(streaming, 'exit');
  console.log(`  exited with ${streaming.exitCode}`);

  console.log('\n== 5. A subprocess cancelled by a timeout ==');
  elapsed = stopwatch();
  const slow = await run(process.execPath, ['-e', `setTimeout(() => console.log('finished'), ${Math.round(scaled(5))})`], {
    signal: AbortSignal.timeout(scaled(0.3)),
  });
  console.log(`Killed after ${elapsed().toFixed(1)}s: signal ${slow.signal}, output ${JSON.stringify(slow.stdout)}`);
}

await main();
