// A test file run by vitest under `async-prof run` (issue 18): vitest compiles it with Vite and
// evaluates it in a worker (a forked process by default, a worker thread with --pool threads)
// through node:vm, where the module hooks never see it; its async functions are still recorded,
// named and placed at the lines of the .ts file, and vitest's outcome and output are as bare.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReportJson } from '../src/report/report-json.js';
import { loadModel } from '../src/trace/load-model.js';
import type { Task } from '../src/model/types.js';
import { lastJsonLine, programStderr, runCli } from './helpers/cli.js';
import { repoRoot } from './helpers/run-sample.js';

const tmp = mkdtempSync(join(tmpdir(), 'async-prof-vitest-run-'));
const fixture = 'test/fixtures/vitest-run';
const vitest = 'node_modules/vitest/vitest.mjs';
const config = `${fixture}/vitest.config.mjs`;
// The same for both runs; no colours, so that outputs compare as text.
const env = { NO_COLOR: '1', FORCE_COLOR: '0', CI: 'true' };

function lineOf(file: string, text: string): number {
  const index = readFileSync(join(repoRoot, file), 'utf8').split('\n').findIndex((l) => l.includes(text));
  if (index < 0) throw new Error(`${text} not in ${file}`);
  return index + 1;
}

/** Vitest's output without what differs from run to run: times and durations. */
function steady(output: string): string {
  return output
    .split('\n')
    .filter((line) => !/^\s*(Start at|Duration)\s/.test(line))
    .map((line) => line.replace(/\d+(\.\d+)?m?s\b/g, 'T'))
    .join('\n')
    .trimEnd();
}

function vitestArgs(file: string, pool: string | null): string[] {
  return [vitest, 'run', '--config', config, ...(pool ? ['--pool', pool] : []), file];
}

function bare(file: string, pool: string | null) {
  return spawnSync(process.execPath, vitestArgs(file, pool), { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
}

async function profiled(name: string, file: string, pool: string | null) {
  const out = join(tmp, `${name}.trace`);
  const result = await runCli(['run', '--no-serve', '--json', '--out', out, ...vitestArgs(file, pool)], { cwd: repoRoot, env, timeoutMs: 90_000 });
  const lines = result.stdout.trimEnd().split('\n');
  return { result, out, report: lastJsonLine<ReportJson>(result.stdout), programStdout: lines.slice(0, -1).join('\n') };
}

const users = `${fixture}/users.spec.ts`;

describe('a vitest test file under async-prof run', { retry: 1, timeout: 180_000 }, () => {
  for (const pool of [null, 'threads'] as const) {
    it(`records the test's async functions at the lines of the .ts file (${pool ?? 'default pool: forks'})`, async () => {
      const asBare = bare(users, pool);
      expect(asBare.status, asBare.stdout + asBare.stderr).toBe(0);
      const { result, out, report, programStdout } = await profiled(`users-${pool ?? 'forks'}`, users, pool);
      expect(result.code, result.stderr).toBe(0);
      expect(report.exitCode).toBe(0);
      expect(steady(programStdout)).toBe(steady(asBare.stdout));
      expect(programStdoutPassed(programStdout)).toBe(true);

      // The test file ran in vitest's worker: a forked process, or a worker thread of the main one.
      const model = loadModel(out);
      const workers = pool === 'threads' ? model.threads : model.processes.flatMap((p) => [p, ...p.threads]);
      const tasks: Task[] = workers.flatMap((w) => w.tasks).filter((t) => t.file === users);
      const fetchUserLine = lineOf(users, 'async function fetchUser');
      const loadTeamLine = lineOf(users, 'async function loadTeam');
      const testLine = lineOf(users, "test('loads a team");
      expect(tasks.map((t) => [t.name, t.line]).sort()).toEqual(
        [
          ['<anonymous>', testLine],
          ['fetchUser', fetchUserLine],
          ['fetchUser', fetchUserLine],
          ['loadTeam', loadTeamLine],
        ].sort(),
      );
      // Nothing but the spec file's functions is the program's: vitest's own code is a package.
      expect(workers.flatMap((w) => w.tasks).filter((t) => t.file !== users)).toEqual([]);

      const fetches = tasks.filter((t) => t.name === 'fetchUser');
      const awaitLine = lineOf(users, 'await new Promise');
      for (const t of fetches) {
        // A 30 ms timer (it never fires early; a loaded machine may make it late).
        expect(t.endMs! - t.startMs).toBeGreaterThanOrEqual(29);
        expect(t.endMs! - t.startMs).toBeLessThan(30 + 150);
        expect(t.outcome).toBe('fulfilled');
        expect(t.segments.filter((s) => s.kind === 'wait').map((s) => s.line)).toEqual([awaitLine]);
      }
      // Called together: the two waits overlap.
      expect(Math.abs(fetches[0]!.startMs - fetches[1]!.startMs)).toBeLessThan(10);
      const team = tasks.find((t) => t.name === 'loadTeam')!;
      for (const t of fetches) expect(t.parentId).toBe(team.id);

      // The report counts them on the worker that ran them.
      const counted = pool === 'threads' ? (report.threads ?? []).filter((t) => t.threadId !== 0) : (report.processes ?? []).flatMap((p) => p.threads);
      expect(counted.reduce((sum, t) => sum + t.tasks, 0)).toBe(4);
    });
  }

  it('a failing test fails the same way: exit code, message, code frame at the source line and column', async () => {
    const failing = `${fixture}/failing.spec.ts`;
    const asBare = bare(failing, null);
    expect(asBare.status).toBe(1);
    const { result, programStdout, out } = await profiled('failing', failing, null);
    expect(result.code).toBe(1);
    expect(steady(programStdout)).toBe(steady(asBare.stdout));
    // Failures go to stderr, with the code frame vitest maps back through Vite's source map.
    const frame = `failing.spec.ts:${lineOf(failing, 'expect(counted)')}:`;
    expect(asBare.stderr).toContain(frame);
    expect(steady(programStderr(result.stderr))).toBe(steady(asBare.stderr));
    const tasks = loadModel(out).processes.flatMap((p) => p.tasks).filter((t) => t.file === failing);
    expect(tasks.find((t) => t.name === 'expectUsers')?.outcome).toBe('rejected');
  });
});

function programStdoutPassed(stdout: string): boolean {
  return /Tests\s+1 passed/.test(stdout);
}
