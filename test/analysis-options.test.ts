// Analysis parameters are arguments of the analysis: report, view, export and compare re-analyse
// a recorded trace with the blocking threshold they are given (the one recorded is the default).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportJson } from '../src/report/report-json.js';
import { fixture, lineOf, profile, runCli, type Profiled } from './fixtures/analysis/profile.js';

const file = fixture('two-stretches.ts');
const spinLine = lineOf(file, 'while (performance.now() < end)');

describe('--blocking-threshold on a recorded trace', () => {
  let run: Profiled;
  beforeAll(async () => {
    run = await profile(file, 'two-stretches');
  });

  it('recorded with the default (50 ms): only the 90 ms stretch', () => {
    expect(run.report.blockingThresholdMs).toBe(50);
    const stretches = run.report.blocking.filter((b) => b.line === spinLine);
    expect(stretches).toHaveLength(1);
    expect(stretches[0]!.durationMs).toBeGreaterThan(80);
  });

  it('report --blocking-threshold 20 finds the stretch between 20 and 50 ms too', async () => {
    const result = await runCli(['report', '--json', '--blocking-threshold', '20', run.trace]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as ReportJson;
    expect(report.blockingThresholdMs).toBe(20);
    const durations = report.blocking.filter((b) => b.line === spinLine).map((b) => b.durationMs);
    expect(durations).toHaveLength(2);
    expect(durations.some((d) => d >= 20 && d < 50)).toBe(true);
    expect(durations.some((d) => d > 80)).toBe(true);
    // The text report says the threshold it used.
    const text = await runCli(['report', '--blocking-threshold', '20', run.trace]);
    expect(text.stdout).toMatch(/blocking\s+2 stretches over 20 ms/);
  });

  it('export --blocking-threshold 20: both stretches on the main thread of the Chrome trace', async () => {
    const out = join(run.trace.replace(/\.trace$/, ''), '..', 'two-stretches.json');
    const result = await runCli(['export', '--blocking-threshold', '20', run.trace, '--format', 'chrome', out]);
    expect(result.code, result.stderr).toBe(0);
    const events = (JSON.parse(readFileSync(out, 'utf8')) as { traceEvents: { cat?: string }[] }).traceEvents;
    expect(events.filter((e) => e.cat === 'blocking').length).toBeGreaterThanOrEqual(2);
  });

  it('compare takes it too; a bad value is a usage error', async () => {
    const ok = await runCli(['compare', '--json', '--blocking-threshold', '20', run.trace, run.trace]);
    expect(ok.code, ok.stderr).toBe(0);
    for (const command of [['report'], ['export', '--html', '/tmp/x.html'], ['compare', run.trace]]) {
      const bad = await runCli([...command, '--blocking-threshold', '-1', run.trace]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/^async-prof: error: .*--blocking-threshold must be a positive number/);
    }
  });
});
