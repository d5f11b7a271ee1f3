// CI truth: an I/O-only script (20 pages fetched from a local server, four at a time) passes lag
// and blocking budgets in every run, also with a CPU hog on every core, because lag and blocking
// are judged on what the program did: the time it waited for a CPU other processes had, and
// Node's own one-time set-up (the first fetch()), are left out and said so.
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import type { CiResult } from '../src/ci/result.js';
import { fixture, runCli } from './fixtures/analysis/profile.js';

const script = fixture('fetch-pages.ts');
const budgets = ['--max-blocking', '50', '--max-lag-p99', '20'];
const hogs: ChildProcess[] = [];

afterEach(() => {
  for (const hog of hogs.splice(0)) hog.kill('SIGKILL');
});

async function ci(runs: number): Promise<CiResult> {
  const result = await runCli(['ci', script, '--runs', String(runs), ...budgets, '--reporter', 'json'], { timeoutMs: 280_000 });
  const parsed = JSON.parse(result.stdout) as CiResult;
  const values = parsed.scripts[0]!.runs.map((r) => `${r.blockingMaxMs}/${r.lagP99Ms}`).join(' ');
  expect(result.code, `blocking/lag p99 of each run: ${values}\n${result.stderr}`).toBe(0);
  expect(parsed.scripts[0]!.runs).toHaveLength(runs);
  // Every run within the budgets, not only their median.
  for (const r of parsed.scripts[0]!.runs) {
    expect(r.blockingMaxMs, values).toBeLessThan(50);
    expect(r.lagP99Ms, values).toBeLessThan(20);
  }
  return parsed;
}

// One retry: the claim is about a machine with a hog per core, not one loaded ten times over (a
// load average of 11 on two cores, with disk contention, stalls the thread outside both the CPU
// and the run queue, which no scheduler count can tell from the program's own sleeping).
describe('ci on an I/O-only script', { retry: 1 }, () => {
  it(`passes ${budgets.join(' ')} in 20 of 20 runs`, async () => {
    await ci(20);
  }, 300_000);

  it('passes them in 10 of 10 runs with a CPU hog on every core', async () => {
    for (let i = 0; i < availableParallelism(); i++) hogs.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
    await ci(10);
  }, 300_000);
});
