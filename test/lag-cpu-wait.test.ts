// Lag and blocking judged on what the program did: where the recorder sampled the main thread's
// scheduler statistics (Sched records: time on a CPU, time waiting runnable for one), the time
// the thread waited for a CPU is not the program's lag, and a stretch the thread spent mostly
// waiting is not blocking. Traces generated with Sched records (until the recorder writes them),
// read by the real CLI.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ORIGIN_MS, TraceBuilder } from '../bench/analysis-trace-builder.js';
import { writeTrace } from '../bench/analysis-trace-writer.js';
import { runValues } from '../src/ci/metrics.js';
import type { ReportJson } from '../src/report/report-json.js';
import { runCli } from './helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'async-prof-sched-'));

interface Window {
  fromMs: number;
  toMs: number;
  /** Of each ms in the window, how much the thread waited for a CPU and how much it ran. */
  waitShare: number;
  runShare: number;
}

/**
 * A 500 ms run: the lag probe every 10 ms, on time but for the probes given (due ms -> late ms:
 * the next one is due 10 ms after it ran); scheduler samples every ms, the thread idle but in the
 * windows given; profile samples idle but in the busy stretch given.
 */
function trace(name: string, options: { late: Map<number, number>; windows: Window[]; busy?: [number, number]; sched?: boolean; busyEveryUs?: number }): string {
  const b = new TraceBuilder();
  const main = b.fn('main', 1);
  const m = b.enter(main, 0, 100);
  const timer = b.resource('setTimeout', m, 200);
  b.suspend(m, 2, 300);
  for (let due = 10; due < 490; ) {
    const lateMs = options.late.get(due) ?? 0;
    b.lag((due + lateMs) * 1000, lateMs * 1000);
    due += lateMs + 10;
  }
  b.callback(timer, 495_000);
  b.resume(m, 495_100);
  b.exit(m, 495_200);
  const [busyFrom, busyTo] = options.busy ?? [0, 0];
  b.idle(0, busyFrom * 1000);
  b.busy(busyFrom * 1000, busyTo * 1000, [b.frame('main', 1), b.frame('crunch', 20)], options.busyEveryUs);
  b.idle(busyTo * 1000, 500_000);
  if (options.sched !== false) {
    const times: number[] = [];
    const runNs: number[] = [];
    const waitNs: number[] = [];
    let run = 0;
    let wait = 0;
    for (let t = 0; t <= 500; t++) {
      const w = options.windows.find((x) => t > x.fromMs && t <= x.toMs);
      wait += (w?.waitShare ?? 0) * 1e6;
      run += (w?.runShare ?? 0.02) * 1e6;
      times.push(ORIGIN_MS + t);
      runNs.push(run);
      waitNs.push(wait);
    }
    b.sched.push({ tid: 1, times: times.slice(0, 250), runNs: runNs.slice(0, 250), waitNs: waitNs.slice(0, 250) });
    b.sched.push({ tid: 1, times: times.slice(250), runNs: runNs.slice(250), waitNs: waitNs.slice(250) });
  }
  const file = join(tmp, `${name}.trace`);
  writeTrace(file, b.build({ wallUs: 500_000 }));
  return file;
}

async function report(file: string): Promise<{ json: ReportJson; text: string }> {
  const json = await runCli(['report', '--json', file]);
  expect(json.code, json.stderr).toBe(0);
  const text = await runCli(['report', file]);
  return { json: JSON.parse(json.stdout) as ReportJson, text: text.stdout };
}

describe('lag without the time waiting for a CPU', () => {
  // The probe due at 100 ms ran 40 ms late while the thread waited for a CPU all that time (a hog
  // on every core); the one due at 300 ms ran 25 ms late, 5 of them waiting, 20 running the program.
  const windows: Window[] = [
    { fromMs: 100, toMs: 140, waitShare: 1, runShare: 0 },
    { fromMs: 300, toMs: 325, waitShare: 0.2, runShare: 0.8 },
  ];
  const late = new Map([
    [100, 40],
    [300, 25],
  ]);

  it("the program's lag leaves the wait out; the wall clock's is kept beside it; the text says what was left out", async () => {
    const { json, text } = await report(trace('hog', { late, windows }));
    // By the wall clock: 40 ms. The program: 20 ms (25 late, 5 of them waiting).
    expect(json.lagWallClock!.maxMs).toBeCloseTo(40, 0);
    expect(json.lag.maxMs).toBeGreaterThan(19);
    expect(json.lag.maxMs).toBeLessThan(21);
    expect(json.lagCpuWaitMs!).toBeGreaterThan(44);
    expect(json.lagCpuWaitMs!).toBeLessThan(46);
    expect(text).toMatch(/not counted: 4\d(\.\d+)? ms waiting for a CPU, in \d+ of \d+ samples; by the wall clock p99 [\d.]+ ms, max 40\.\d+ ms/);
  });

  it('a trace without scheduler samples reports the wall-clock lag as before, without the new fields', async () => {
    const { json, text } = await report(trace('no-sched', { late, windows, sched: false }));
    expect(json.lag.maxMs).toBeCloseTo(40, 0);
    expect(json).not.toHaveProperty('lagWallClock');
    expect(json).not.toHaveProperty('lagCpuWaitMs');
    expect(text).not.toMatch(/not counted/);
  });
});

describe('blocking with the scheduler samples', () => {
  it('a stretch of dense samples in which the thread mostly waited for a CPU is off the CPU, not blocking', async () => {
    // 200-300 ms: profile samples every ms (no hole), but the thread ran 20 of the 100 ms; the
    // probe due at 200 ms could only run once that was over.
    const probe = new Map([[200, 100]]);
    const waited = await report(trace('waited', { late: probe, windows: [{ fromMs: 200, toMs: 300, waitShare: 0.8, runShare: 0.2 }], busy: [200, 300] }));
    expect(waited.json.blocking).toEqual([]);
    expect(waited.json.offCpu).toHaveLength(1);
    expect(waited.json.offCpu[0]!.cpuMs).toBeCloseTo(20, 0);
    // Without the scheduler's count, dense samples read as 100 ms on the CPU: blocking.
    const guessed = await report(trace('waited-unsampled', { late: probe, windows: [], busy: [200, 300], sched: false }));
    expect(guessed.json.blocking).toHaveLength(1);
    // The same samples with the thread running all the while: blocking, on the CPU for all of it.
    const ran = await report(trace('ran', { late: probe, windows: [{ fromMs: 200, toMs: 300, waitShare: 0, runShare: 1 }], busy: [200, 300] }));
    expect(ran.json.blocking).toHaveLength(1);
    expect(ran.json.blocking[0]!.function).toBe('crunch');
    expect(ran.json.blocking[0]!.cpuMs).toBeGreaterThan(95);
    expect(ran.json.blocking[0]!.cpuWaitMs).toBeLessThan(1);
  });

  it('a thread asleep in a synchronous call (neither running nor waiting, but sampled all along) is blocking; a stopped one is not', async () => {
    // 200-300 ms: the scheduler saw the thread run 2% and never wait (spawnSync waiting for its
    // child, Atomics.wait), while the sampler's signals reached it every ms: the loop was held.
    const probe = new Map([[200, 100]]);
    const asleep = await report(trace('asleep-in-call', { late: probe, windows: [], busy: [200, 300] }));
    expect(asleep.json.offCpu).toEqual([]);
    expect(asleep.json.blocking).toHaveLength(1);
    expect(asleep.json.blocking[0]!.durationMs).toBeGreaterThan(95);
    expect(asleep.json.blocking[0]!.cpuMs).toBeLessThan(5);
    // Not computing: no advice to move it to a worker thread.
    expect(asleep.json.hints.map((h) => h.name)).not.toContain('cpu-work-on-main-thread');
    // The same 100 ms with the sampler's signals answered only every 50 ms (a stopped process):
    // off the CPU, not blocking.
    const stopped = await report(trace('stopped', { late: probe, windows: [], busy: [200, 300], busyEveryUs: 50_000 }));
    expect(stopped.json.blocking).toEqual([]);
    expect(stopped.json.offCpu).toHaveLength(1);
  });

  it("a stretch says how much of it was the wait for a CPU, and ci budgets the rest", async () => {
    // 200-300 ms: the thread ran 40 of the 100 ms (enough on the CPU to be blocking) and waited 60
    // for a CPU: the loop was held 100 ms; alone, the program would have held it 40.
    const probe = new Map([[200, 100]]);
    const shared = await report(trace('shared-cpu', { late: probe, windows: [{ fromMs: 200, toMs: 300, waitShare: 0.6, runShare: 0.4 }], busy: [200, 300] }));
    expect(shared.json.blocking).toHaveLength(1);
    const [stretch] = shared.json.blocking;
    expect(stretch!.durationMs).toBeGreaterThan(95);
    expect(stretch!.cpuMs).toBeCloseTo(40, 0);
    expect(stretch!.cpuWaitMs).toBeGreaterThan(55);
    expect(stretch!.cpuWaitMs).toBeLessThan(65);
    expect(shared.text).toMatch(/\([56]\d(\.\d+)? ms of it waiting for a CPU\)/);
    // ci's blocking budget judges the program's 40 ms, not the wall clock's 100.
    const values = runValues(shared.json, 30);
    expect(values.blockingMaxMs).toBeGreaterThan(35);
    expect(values.blockingMaxMs).toBeLessThan(45);
    expect(values.blockingCount).toBe(1);
    expect(runValues(shared.json, 50).blockingCount).toBe(0);
  });
});
