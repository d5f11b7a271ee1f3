// Node child processes (issue 18): every node process the program starts (spawn,
// fork, exec, execFile, their Sync forms; cluster workers fork) is recorded into the same trace, with its own tasks
// on the parent's time axis; the child sees its environment as bare.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReportJson } from '../src/report/report-json.js';
import { loadModel } from '../src/trace/load-model.js';
import { lastJsonLine, runCli } from './helpers/cli.js';
import { repoRoot } from './helpers/run-sample.js';

const tmp = mkdtempSync(join(tmpdir(), 'async-prof-children-'));
const script = 'test/fixtures/processes/fork-children.mjs';

function lineOf(file: string, text: string): number {
  return readFileSync(join(repoRoot, file), 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;
}

async function run(name: string, flags: string[] = []) {
  const out = join(tmp, `${name}.trace`);
  const result = await runCli(['run', '--no-serve', '--json', ...flags, '--out', out, script], { cwd: repoRoot, timeoutMs: 60_000 });
  expect(result.code, result.stderr).toBe(0);
  return { report: lastJsonLine<ReportJson>(result.stdout), out, stdout: result.stdout };
}

describe('forked Node children', { retry: 1, timeout: 120_000 }, () => {
  it('are recorded as processes with their own tasks, inside the parent task that waited for them, and run as bare', async () => {
    const bare = spawnSync(process.execPath, [script], { cwd: repoRoot, encoding: 'utf8' });
    const { report, out, stdout } = await run('fork');
    // Same output, NODE_OPTIONS included (the child's preload puts it back as it was: none).
    expect(stdout.split('\n')[0]).toBe(bare.stdout.split('\n')[0]);
    expect(report.processes).toHaveLength(2);
    for (const p of report.processes!) {
      expect(p.exitCode).toBe(0);
      expect(p.args).toEqual(['child']);
      expect(p.threads[0]!.tasks).toBe(2);
    }
    const model = loadModel(out);
    const asks = model.tasks.filter((t) => t.name === 'ask');
    expect(asks).toHaveLength(2);
    for (const child of model.processes) {
      expect(child.tasks.map((t) => [t.name, t.line])).toEqual([
        ['answerOnce', lineOf(script, 'async function answerOnce')],
        ['double', lineOf(script, 'async function double')],
      ]);
      // One time axis: the child's work lies inside one of the parent's asks (1 ms of clock slack).
      const [first, last] = [child.tasks[0]!.startMs, child.tasks[0]!.endMs!];
      expect(asks.some((a) => a.startMs - 1 <= first && last <= a.endMs! + 1)).toBe(true);
    }
  });

  it('children started synchronously (spawnSync, execFileSync, execSync of node) are recorded, see their environment as bare, and hold the parent\'s loop', async () => {
    const syncScript = 'test/fixtures/processes/sync-children.mjs';
    const bare = spawnSync(process.execPath, [syncScript], { cwd: repoRoot, encoding: 'utf8' });
    expect(bare.status).toBe(0);
    const result = await runCli(['run', '--no-serve', '--json', '--out', join(tmp, 'sync.trace'), syncScript], { cwd: repoRoot, timeoutMs: 60_000 });
    expect(result.code, result.stderr).toBe(0);
    const report = lastJsonLine<ReportJson>(result.stdout);
    // The program's own lines, the children's included, exactly as bare: no variable of ours, the
    // environment the program gave (GREETING), its options object untouched.
    const programLines = bare.stdout.trimEnd().split('\n');
    expect(programLines).toContain('options untouched: yes');
    expect(result.stdout.split('\n').slice(0, programLines.length)).toEqual(programLines);
    expect(report.processes?.map((p) => p.args)).toEqual([
      ['child', 'spawnSync'],
      ['child', 'execFileSync'],
      ['child', 'execSync'],
    ]);
    for (const p of report.processes!) {
      expect(p.exitCode).toBe(0);
      expect(p.threads[0]!.tasks).toBe(2);
    }
    // The parent's loop was held while it waited for its children: blocking, not time off the CPU.
    expect(report.blocking.length).toBeGreaterThan(0);
    expect(report.offCpu).toEqual([]);
  });

  it('programs that are not Node: a process each with its command, span and how it ended, and the program runs as bare', async () => {
    const others = 'test/fixtures/processes/other-programs.mjs';
    const bare = spawnSync(process.execPath, [others], { cwd: repoRoot, encoding: 'utf8' });
    expect(bare.stdout).toBe('exit 3 SIGTERM printed\n');
    const result = await runCli(['run', '--no-serve', '--json', '--out', join(tmp, 'others.trace'), others], { cwd: repoRoot, timeoutMs: 60_000 });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.startsWith(bare.stdout)).toBe(true);
    const report = lastJsonLine<ReportJson>(result.stdout);
    expect(report.processes?.map((p) => [p.script, p.args.join(' '), p.exitCode, p.signal ?? null])).toEqual([
      ['sh', '-c sleep 0.1; exit 3', 3, null],
      ['sh', '-c kill -TERM $$', null, 'SIGTERM'],
      ['sh', '-c echo printed', 0, null],
    ]);
    for (const p of report.processes!) {
      expect(p.notNode).toBeDefined();
      expect(p.threads[0]!.tasks).toBe(0);
    }
    const sleeper = report.processes![0]!.notNode!;
    expect(sleeper.endMs - sleeper.startMs).toBeGreaterThan(90);
    expect(sleeper.endMs - sleeper.startMs).toBeLessThan(1000);
    // Nothing of ours on it: no "no tasks recorded" for a program we never profiled.
    expect(report.warnings.filter((w) => /no tasks/.test(w))).toEqual([]);
    const text = await runCli(['report', join(tmp, 'others.trace')], { cwd: repoRoot });
    expect(text.stdout).toMatch(/processes {2}3 other programs/);
    expect(text.stdout).toMatch(/pid \d+ {2}sh -c kill -TERM \$\$ {2}killed by SIGTERM {2}ran [\d.]+ m?s from [\d.]+ [µm]?s {2}\(not Node: not profiled\)/);
  });

  it('a cluster of two workers: two processes with their tasks, and no "no tasks" warning for a primary that only listens', async () => {
    const cluster = 'test/fixtures/processes/cluster-of-two.mjs';
    const bare = spawnSync(process.execPath, [cluster], { cwd: repoRoot, encoding: 'utf8' });
    const result = await runCli(['run', '--no-serve', '--json', '--out', join(tmp, 'cluster.trace'), cluster], { cwd: repoRoot, timeoutMs: 60_000 });
    expect(result.code, result.stderr).toBe(0);
    const report = lastJsonLine<ReportJson>(result.stdout);
    // The program's own lines, in whichever order the two workers answered.
    const lines = (out: string) => out.split('\n').filter((l) => /^(primary got|all exited)/.test(l)).sort();
    expect(lines(result.stdout)).toEqual(lines(bare.stdout));
    expect(report.processes).toHaveLength(2);
    for (const p of report.processes!) {
      expect(p.exitCode).toBe(0);
      expect(p.threads[0]!.tasks).toBe(1);
    }
    expect(report.warnings.filter((w) => w.startsWith('no tasks recorded'))).toEqual([]);
  });

  it('--no-children leaves them unrecorded', async () => {
    const { report, stdout } = await run('no-children', ['--no-children']);
    expect(stdout).toContain('children answered 42 100');
    expect(report.processes).toBeUndefined();
  });
});
