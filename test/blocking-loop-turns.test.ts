// Blocking means the loop did not turn: a stretch of samples with no idle one between them is cut
// where the trace proves the loop turned (a timer that came due after it began ran inside it).
// Real runs of the CLI.
import { describe, expect, it } from 'vitest';
import type { ReportJson } from '../src/report/report-json.js';
import { fixture, lineOf, profile, runCli } from './fixtures/analysis/profile.js';

describe('blocking stretches end where the loop turned', () => {
  it('CPU work in 2 ms chunks that each await setImmediate is not blocking', async () => {
    const run = await profile(fixture('chunked-work.ts'), 'chunked-work');
    const { longestGapMs, longestCpuGapMs } = JSON.parse(run.stdout.trim().split('\n')[0]!) as { longestGapMs: number; longestCpuGapMs: number };
    // The script's own probe saw the loop turning all along: never 50 ms of work between two
    // turns (by the wall clock too, unless the machine took the CPU away for that long).
    expect(longestCpuGapMs, `wall-clock gap ${longestGapMs} ms`).toBeLessThan(50);
    expect(run.report.blocking.filter((b) => !b.nodeSetup)).toEqual([]);
    // The samples show no idle gap in 600 ms of work: the loop was busy all the while.
    expect(run.report.elu).toBeGreaterThan(0.5);
  });

  it('a 120 ms busy loop is still one stretch, at its function and line', async () => {
    const file = 'test/fixtures/core/busy-method.ts';
    const run = await profile(file, 'busy-method-turns');
    const stretches = run.report.blocking.filter((b) => !b.nodeSetup);
    expect(stretches).toHaveLength(1);
    expect(stretches[0]!.durationMs).toBeGreaterThan(100);
    expect(stretches[0]!.function).toBe('spin');
    const spinAt = lineOf(file, 'function spin');
    expect(stretches[0]!.line).toBeGreaterThan(spinAt);
    expect(stretches[0]!.line).toBeLessThan(spinAt + 6);
  });

  it('20,000 timers expiring together are still one stretch of the timers pass', async () => {
    const run = await profile('test/fixtures/core/timers-together.ts', 'timers-together-turns');
    // The pass takes 30-100 ms depending on the machine: analysed again at 20 ms to see it whole.
    const again = await runCli(['report', '--json', '--blocking-threshold', '20', run.trace]);
    expect(again.code, again.stderr).toBe(0);
    const report = JSON.parse(again.stdout) as ReportJson;
    const busiest = [...report.blocking].sort((a, b) => b.awaitsResumed - a.awaitsResumed)[0];
    expect(busiest, 'a stretch over 20 ms while the continuations ran').toBeDefined();
    // Most of the 20,000 continuations in that one stretch: the timers that ran in it do not cut it.
    expect(busiest!.awaitsResumed).toBeGreaterThan(10_000);
    expect(busiest!.resourceCallbacks * 2).toBeGreaterThan(busiest!.awaitsResumed);
  });
});
