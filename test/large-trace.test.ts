// A trace too big for the heap Node gives the CLI: the analysis moves to a child process with the
// heap it needs (src/commands/larger-heap.ts). A small heap (a flag of the CLI's own Node, which
// the profiled script does not get: NODE_OPTIONS would starve it too) stands in for the 4 GB default, so that a trace of a million and a half events is "too big" (the analysis keeps
// its columns outside the heap and needs little of it).
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReportJson } from '../src/report/report-json.js';
import { cliPath, lastJsonLine, runCli } from './helpers/cli.js';
import { repoRoot } from './helpers/run-sample.js';

const SMALL_HEAP = ['--max-old-space-size=16'];
const workload = join('bench', 'workloads', 'promise-heavy.ts');
const CALLS = '150000';
const tmp = mkdtempSync(join(tmpdir(), 'async-prof-large-'));
const trace = join(tmp, 'large.trace');

describe('a trace too big for the heap', () => {
  it('run: the script runs once, and its report comes from a child with a larger heap', async () => {
    const result = await runCli(['run', '--no-serve', '--json', '--out', trace, workload, CALLS], { nodeArgs: SMALL_HEAP });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/events need about \d+ MB to analyse, more than Node's heap here \(\d+ MB\); analysing them with --max-old-space-size=\d+/);
    expect(result.stdout.split('\n').filter((line) => line.includes('workloadMs'))).toHaveLength(1);
    const report = lastJsonLine<ReportJson>(result.stdout);
    // 150,000 sequential units and 15,000 concurrent ones, each with two leaves, and the three phases.
    expect(report.tasks.length).toBe(165_000 * 3 + 3);
    expect(report.exitCode).toBe(0);
  });

  // Without the memory for it: one line saying what to give Node (test/analysis.test.ts).
  it('report: the same', async () => {
    const result = await runCli(['report', trace], { nodeArgs: SMALL_HEAP });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/tasks\s+495003/);
  });

  it('view: the child serves the timeline, and Ctrl-C sent to the CLI stops it', async () => {
    const child = spawn(process.execPath, [...SMALL_HEAP, cliPath, 'view', '--no-open', trace], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const url = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
        const match = /http:\/\/127\.0\.0\.1:\d+\/\S*/.exec(stdout);
        if (match) resolve(match[0]);
      });
      child.on('exit', () => reject(new Error(`view exited first: ${stderr}`)));
    });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stderr).toContain('analysing them with --max-old-space-size=');
  });
});
