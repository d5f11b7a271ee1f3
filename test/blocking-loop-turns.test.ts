// Blocking means the loop did not turn: a stretch of samples with no idle one between them is cut
// where the trace proves the loop turned (a timer that came due after it began ran inside it).
// Real runs of the CLI.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TraceBuilder } from '../bench/analysis-trace-builder.js';
import { writeTrace } from '../bench/analysis-trace-writer.js';
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

  // Found in a CI run under load: the timers pass above took 35 ms, 9 of them the profiler recording
  // 20,000 callbacks; the stretch's durationMs leaves those out, and its runs were counted only up to
  // startMs + durationMs, so half the continuations fell outside it. A generated trace pins it.
  it('what ran inside a stretch is counted up to where the loop was given back, the profiler\'s own work included', async () => {
    const b = new TraceBuilder();
    const job = b.fn('job', 3);
    const tasks: number[] = [];
    const timers: number[] = [];
    for (let i = 0; i < 300; i++) {
      const t = b.enter(job, 0, 1000 + i);
      timers.push(b.resource('setTimeout', t, 1000 + i));
      b.suspend(t, 4, 1000 + i);
      tasks.push(t);
    }
    // 60-160 ms the loop is held: crunching until 130 ms, then the 300 timers' continuations,
    // every other sample of them the profiler recording them (15 ms of its own).
    for (let i = 0; i < 300; i++) {
      const at = 130_000 + i * 95;
      b.callback(timers[i]!, at);
      b.resume(tasks[i]!, at + 10);
      b.exit(tasks[i]!, at + 20);
    }
    b.idle(0, 60_000);
    b.busy(60_000, 130_000, [b.frame('crunch', 20)]);
    const own = { name: 'record', url: '/opt/async-prof/dist/instrument/preload.js', line: 10 };
    for (let at = 130_000; at < 160_000; at += 500) b.sample(at, (at / 500) % 2 === 0 ? [own] : [b.frame('job', 3)]);
    b.idle(160_000, 200_000);
    const file = join(mkdtempSync(join(tmpdir(), 'async-prof-turns-')), 'own-work.trace');
    writeTrace(file, b.build({ wallUs: 200_000 }));

    const result = await runCli(['report', '--json', file]);
    expect(result.code, result.stderr).toBe(0);
    const [stretch, ...others] = (JSON.parse(result.stdout) as ReportJson).blocking;
    expect(others).toEqual([]);
    // Each edge halfway between the last idle sample and the first busy one (1 ms apart).
    expect(Math.abs(stretch!.startMs - 60)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(stretch!.endMs - 160)).toBeLessThanOrEqual(0.5);
    // The program's part: 100 ms less the profiler's 15.
    expect(stretch!.durationMs).toBeGreaterThan(83);
    expect(stretch!.durationMs).toBeLessThan(87);
    expect(stretch!.awaitsResumed).toBe(300);
    expect(stretch!.resourceCallbacks).toBe(300);
  });
});
