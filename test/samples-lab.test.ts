// Runs the samples of seeds 002 (lab), 003 (practice exercises) and 004 (AsyncIO guide), and the four anti-pattern
// samples, each as a real child process at a small SAMPLE_TIME_SCALE (0.1 for most, see SCALE_FOR), and checks what they print: the seed's expected
// lines in a valid order where the seed gives them, the lines that show the behaviour everywhere else, and printed
// timings (course seconds = real seconds / scale) within tolerance of the figures the exercise implies.
import { describe, expect, it } from 'vitest';
import { random } from '../samples/lib/env.js';
import { runSample, type SampleRun } from './helpers/run-sample.js';

const SCALE = 0.1;

/**
 * The tests of this file run concurrently, but at most three samples at a time: most of a sample's run is waiting
 * (its scaled sleeps), so three overlap well on two cores without starving each other's timers. Samples that keep
 * both cores busy for a while (PGlite compiling its WebAssembly, five Node processes starting at once) run alone,
 * so their CPU bursts cannot delay another sample's timers beyond the tolerances.
 */
class SampleSlots {
  #active = 0;
  #exclusive = false;
  #exclusiveWaiting = 0;
  #wakeups: (() => void)[] = [];
  constructor(readonly shared: number) {}
  async run<T>(exclusive: boolean, job: () => Promise<T>): Promise<T> {
    if (exclusive) this.#exclusiveWaiting++;
    while (this.#exclusive || (exclusive ? this.#active > 0 : this.#active >= this.shared || this.#exclusiveWaiting > 0)) {
      await new Promise<void>((resolve) => this.#wakeups.push(resolve));
    }
    this.#active++;
    if (exclusive) {
      this.#exclusiveWaiting--;
      this.#exclusive = true;
    }
    try {
      return await job();
    } finally {
      this.#active--;
      if (exclusive) this.#exclusive = false;
      for (const wake of this.#wakeups.splice(0)) wake();
    }
  }
}
const slots = new SampleSlots(3);
const EXCLUSIVE = new Set(['database.ts', 'subprocesses.ts']);

// ---------------------------------------------------------------- helpers

/**
 * Samples whose sleeps add up to only a second or two of course time run at a larger scale, so that a stall of a few
 * tens of milliseconds on a busy machine (CPU work does not shrink with the scale) stays small in course seconds.
 */
const SCALE_FOR: Record<string, number> = {
  'task-manager.ts': 0.5,
  'await-in-loop.ts': 0.5,
  'forgotten-await.ts': 0.5,
  'event-loop.ts': 0.3,
  'async-context-managers.ts': 0.3,
  'http-client.ts': 0.2,
};

async function run(file: string, args: string[] = [], scale = SCALE_FOR[file] ?? SCALE): Promise<SampleRun> {
  const r = await slots.run(EXCLUSIVE.has(file), () => runSample(file, { scale, args, timeoutMs: 45_000 }));
  expect(r.code, `${file} ${args.join(' ')} exited with ${r.code} (${r.signal ?? 'no signal'})\n${r.stderr}\n${r.stdout}`).toBe(0);
  return r;
}

/**
 * Timings are real measurements of scaled delays: never (meaningfully) early, and late by scheduling overhead,
 * which at scale 0.1 shows up ten-fold in course seconds. Allowed: 3% early, up to 30% + 0.5 course s late.
 */
function expectTime(actual: number, expected: number, what: string): void {
  expect(actual, `${what}: ${actual}s should be about ${expected}s`).toBeGreaterThanOrEqual(expected * 0.97 - 0.02);
  expect(actual, `${what}: ${actual}s should be about ${expected}s`).toBeLessThanOrEqual(expected * 1.3 + 0.5);
}

function matches(line: string, want: string | RegExp): boolean {
  return typeof want === 'string' ? line === want : want.test(line);
}

/** Each expected line appears, in this order (other lines may come between). Returns their indexes. */
function expectInOrder(r: SampleRun, expected: (string | RegExp)[]): number[] {
  const found: number[] = [];
  let from = 0;
  for (const want of expected) {
    const i = r.lines.findIndex((l, k) => k >= from && matches(l, want));
    expect(i, `missing (in order) ${String(want)} after line ${from}\n${r.stdout}`).toBeGreaterThanOrEqual(0);
    found.push(i);
    from = i + 1;
  }
  return found;
}

function find(r: SampleRun, pattern: RegExp): RegExpMatchArray {
  const m = r.lines.map((l) => l.match(pattern)).find((x): x is RegExpMatchArray => x !== null);
  expect(m, `no line matches ${pattern}\n${r.stdout}`).toBeTruthy();
  return m!;
}

function findAll(r: SampleRun, pattern: RegExp): RegExpMatchArray[] {
  return r.lines.map((l) => l.match(pattern)).filter((x): x is RegExpMatchArray => x !== null);
}

function absent(r: SampleRun, pattern: RegExp): void {
  expect(r.lines.filter((l) => pattern.test(l)), `unexpected ${pattern}`).toEqual([]);
}

/** Given "start"/"end" events in print order, the largest number that were open at once. */
function peakOpen(r: SampleRun, start: RegExp, end: RegExp): number {
  let open = 0;
  let peak = 0;
  for (const l of r.lines) {
    if (start.test(l)) peak = Math.max(peak, ++open);
    else if (end.test(l)) open--;
  }
  return peak;
}

const seconds = (m: RegExpMatchArray, group = 1): number => Number(m[group]);

// ---------------------------------------------------------------- seed 004 phase 1 and seed 002 exercise 1

describe('basics and chef', { retry: 1, concurrent: true }, () => {
  it('chef: the seed\'s expected output, three dishes overlap and finish in 5 s, not 10', async () => {
    const r = await run('chef.ts');
    expect(r.lines.slice(0, 7)).toEqual([
      '👨‍🍳 Starting 🍝 Pasta...',
      '👨‍🍳 Starting 🥗 Salad...',
      '👨‍🍳 Starting 🍕 Pizza...',
      '✅ 🥗 Salad is ready after 2 seconds!',
      '✅ 🍝 Pasta is ready after 3 seconds!',
      '✅ 🍕 Pizza is ready after 5 seconds!',
      "All dishes ready: ['🍝 Pasta done', '🥗 Salad done', '🍕 Pizza done']",
    ]);
    expectTime(seconds(find(r, /^Total time: ([\d.]+) seconds/)), 5.0, 'chef total');
  });

  it('basics: greet, sequential vs gather, sleep example, lab exercise 1, URL challenge', async () => {
    const r = await run('basics.ts');
    expectInOrder(r, ['Hello', 'World', 'Start', 'End', 'Hello', 'Done', 'Hello, Alice', 'Hello, Bob']);
    expectTime(seconds(find(r, /^One after another: ([\d.]+)s$/)), 2.0, 'two greets in sequence');
    expectTime(seconds(find(r, /^Concurrently: ([\d.]+)s$/)), 1.0, 'two greets with Promise.all');
    expectInOrder(r, ['A: waiting for 2 seconds', 'B: waiting for 1 seconds', 'B: done waiting', 'A: done waiting']);
    expectInOrder(r, [/^Downloaded: Data from https:\/\/example\.com.{0,40}\.\.\.$/, 'Processed 3 items']);
    // 1 s download, then 3 x (0.5 s download + 0.05 s processing), strictly in sequence
    expectTime(seconds(find(r, /^Sequential execution time: ([\d.]+)s$/)), 2.65, 'lab exercise 1');
    expectTime(seconds(find(r, /^Fetched 3 URLs sequentially in ([\d.]+)s$/)), 3.0, 'sequential fetches');
    expectTime(seconds(find(r, /^Fetched 3 URLs concurrently in ([\d.]+)s$/)), 1.0, 'concurrent fetches');
  });
});

// ---------------------------------------------------------------- tasks, concurrency

describe('tasks, cancellation and concurrent execution', { retry: 1, concurrent: true }, () => {
  it('tasks-and-cancellation: create_task, future, cancel, gather, first-completed, task groups, lab exercise 2', async () => {
    const r = await run('tasks-and-cancellation.ts');
    // 004 phase 2 §1 expected output
    expectInOrder(r, [
      'Task1 started',
      'Task2 started',
      'Both tasks are running in the background...',
      'Task1 finished',
      'Task2 finished',
      'Results: Task1 result Task2 result',
      'Waiting for future...',
      'Got result: Future is done!',
      'Task started...',
      'Result: Hello!',
      // §4 expected output
      'Worker started',
      'Worker was cancelled!',
      'Caught task cancellation',
      // gather, "More Detailed" expected output
      'Starting Task 1',
      'Starting Task 2',
      'Starting Task 3',
      'Finishing Task 1',
      'Finishing Task 2',
      'Finishing Task 3',
      'All tasks are done.',
      "Results: ['Result from Task 1', 'Result from Task 2', 'Result from Task 3']",
    ]);
    absent(r, /^Worker finished$/);

    // first completed: the 1.0 s download wins, the other four are cancelled
    const first = find(r, /^First task finished: (\S+) after ([\d.]+)s$/);
    expect(first[1]).toBe('file_4.zip');
    expectTime(seconds(first, 2), 1.0, 'first of five downloads');
    expect(findAll(r, /^Download of file_\d\.zip cancelled$/)).toHaveLength(4);
    expect(findAll(r, /^Downloaded file_\d\.zip$/).map((m) => m[0])).toEqual(['Downloaded file_4.zip']);
    find(r, /^Cancelled 4 pending workers$/);

    // task groups
    expectInOrder(r, ['Work 1 done', 'Work 2 done', 'Work 3 done', 'All tasks completed!']);
    const h = expectInOrder(r, [
      'Task Alpha: Starting...',
      'Task Beta: Starting...',
      'Task Gamma: Starting...',
      'Task Alpha: Intentionally failing!',
      "Caught an AggregateError: [ValueError('Error in Alpha')]",
      '  - ValueError: Error in Alpha',
    ]);
    const cancelled = findAll(r, /^Task (Beta|Gamma): cancelled by the group$/).map((m) => m[1]);
    expect(cancelled.sort()).toEqual(['Beta', 'Gamma']);
    absent(r, /Completed successfully/);
    expect(r.lines.findIndex((l) => l === 'Task Beta: cancelled by the group')).toBeGreaterThan(h[3]!);

    // challenge 1: one of three downloads cancelled midway
    expectInOrder(r, ['  report.pdf: downloaded', '  video.mp4: cancelled', '  photo.jpg: downloaded']);

    // lab exercise 2: monitor sees completions in order, at their durations; cancel after 1.5 s
    const monitor = findAll(r, /^ {2}monitor: worker_(\d) finished after ([\d.]+)s \((\d)\/5 done, ([\d.]+)s\)$/);
    expect(monitor.map((m) => Number(m[1]))).toEqual([0, 1, 2, 3, 4]);
    expect(monitor.map((m) => Number(m[3]))).toEqual([1, 2, 3, 4, 5]);
    for (const m of monitor) expectTime(seconds(m, 4), Number(m[2]), `monitor ${m[1]}`);
    find(r, /^ {2}monitor: all 5 tasks done, states: (fulfilled, ){4}fulfilled$/);
    expectInOrder(r, [
      '  timeout after 1.5s: cancelling 2 unfinished tasks',
      /^ {2}worker_0: fulfilled \(worker_0 finished after 1s\)$/,
      '  worker_1: cancelled',
      '  worker_2: cancelled',
    ]);
    expect(findAll(r, /^ {2}worker_[12]: cancelled, cleaned up$/)).toHaveLength(2);
  });

  it('concurrent-execution: sequential = sum, Promise.all and as-completed = longest, 3-slot limit = the schedule, CPU work gains nothing', async () => {
    const r = await run('concurrent-execution.ts');
    // The sample draws its ten durations from SAMPLE_SEED (42); draw the same ones here.
    const rand = random(42);
    const durations = Array.from({ length: 10 }, () => Math.round((0.5 + rand() * 1.5) * 100) / 100);
    expect(find(r, /^10 tasks of (.*) s \(/)[1]).toBe(durations.map((d) => d.toFixed(2)).join(', '));
    const sum = durations.reduce((a, b) => a + b, 0);
    const longest = Math.max(...durations);

    const times = findAll(r, /^Time: ([\d.]+)s$/).map((m) => seconds(m));
    expect(findAll(r, /^Results: 10$/)).toHaveLength(4);
    expect(times).toHaveLength(4);
    const [sequential, gather, asCompleted, limited] = times as [number, number, number, number];
    expectTime(sequential, sum, 'sequential');
    expectTime(gather, longest, 'Promise.all');
    expectTime(asCompleted, longest, 'as completed');
    // three slots, jobs taken in submission order: simulate the schedule
    const slots = [0, 0, 0];
    for (const d of durations) {
      slots.sort((a, b) => a - b);
      slots[0] += d;
    }
    expectTime(limited, Math.max(...slots), 'semaphore-limited');
    expect(sequential / gather, 'speed-up of Promise.all').toBeGreaterThan((sum / longest) * 0.7);
    expect(limited).toBeLessThan(sequential);
    expect(limited).toBeGreaterThan(gather);

    // as-completed hands results over in finishing order = ascending duration
    const order = find(r, /^Completion order: (.*)$/)[1]!.split(', ').map((t) => Number(t.replace('task_', '')));
    const byDuration = durations.map((d, i) => [d, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (let i = 1; i < order.length; i++) {
      expect(durations[order[i]!]! + 0.011, 'completion order').toBeGreaterThanOrEqual(durations[order[i - 1]!]!);
    }
    expect(order.slice().sort((a, b) => a - b)).toEqual(byDuration.map(([, i]) => i).sort((a, b) => a - b));

    // CPU-bound: Promise.all is no faster than a loop
    const cpuSeq = seconds(find(r, /^ {2}Sequential: ([\d.]+)s$/));
    const cpuAll = seconds(find(r, /^ {2}Promise\.all: ([\d.]+)s/));
    expectTime(cpuSeq, 1.2, 'CPU work in sequence');
    expect(cpuAll / cpuSeq).toBeGreaterThan(0.8);

    // lab exercise 8: 10 tasks, 3 at a time, 0.5 s each -> 4 waves
    find(r, /^Rate limited tasks completed: 10$/);
    const wave = find(r, /^ {2}at most (\d+) running at once, ([\d.]+)s$/);
    expect(Number(wave[1])).toBe(3);
    expectTime(seconds(wave, 2), 2.0, 'semaphore(3) over 10 tasks');
  });

  it('event-loop: sequential 0.3 s vs concurrent 0.1 s, blocking work in a worker thread keeps timers ticking', async () => {
    const r = await run('event-loop.ts');
    const seq = seconds(find(r, /^ {2}Sequential async time: ([\d.]+)s$/));
    const conc = seconds(find(r, /^ {2}Concurrent async time: ([\d.]+)s$/));
    const mixed = seconds(find(r, /^ {2}Mixed operations time: ([\d.]+)s$/));
    expectTime(seq, 0.3, 'three awaits in sequence');
    expectTime(conc, 0.1, 'three awaits with Promise.all');
    expectTime(mixed, 0.15, 'worker-thread sleep then two overlapping awaits');
    expect(seq / conc).toBeGreaterThan(1.8);
    expectInOrder(r, [
      'Synchronous work starting',
      'Synchronous work completed',
      '  Starting task: Async 1',
      '  Starting task: Async 2',
      '  Completed task: Async 1',
    ]);
    expectInOrder(r, ['    Task 0 starting', '  Tasks scheduled: 3', '    Task 2 completed', '  All tasks completed: [0, 2, 4]']);
    const main = find(r, /^ {2}On the main thread: ([\d.]+)s of work, longest gap between ticks ([\d.]+)s$/);
    const worker = find(r, /^ {2}In a worker thread: ([\d.]+)s of work, (\d+) ticks meanwhile, longest gap between ticks ([\d.]+)s$/);
    expect(seconds(main, 2), 'ticker frozen during main-thread work').toBeGreaterThanOrEqual(0.95);
    expect(Number(worker[2]), 'ticks while the worker computes').toBeGreaterThanOrEqual(8);
    expect(seconds(worker, 3), 'ticker keeps going during worker-thread work').toBeLessThan(0.6);
  });

  it('task-manager: priority order, never more than 2 at once, 0.3 s; a 0.3 s timeout cancels the rest', async () => {
    const r = await run('task-manager.ts');
    const starts = findAll(r, /^ {2}\[START\] (.+) \(Priority: (\d+)\)$/);
    expect(starts.slice(0, 5).map((m) => m[1])).toEqual([
      'Critical Task',
      'High Priority Task',
      'Medium Priority Task',
      'Low Priority Task',
      'Another Low Task',
    ]);
    const firstRun = { ...r, lines: r.lines.slice(0, r.lines.findIndex((l) => l.startsWith('Total time'))) };
    expect(peakOpen(firstRun, /\[START\]/, /\[DONE\]/)).toBe(2);
    expectInOrder(r, ['  [DONE] High Priority Task completed in 0.15s', '  [START] Medium Priority Task (Priority: 3)', '  [DONE] Critical Task completed in 0.2s']);
    const totals = findAll(r, /^Total time: ([\d.]+)s$/).map((m) => seconds(m));
    expectTime(totals[0]!, 0.3, 'five tasks, two at a time');
    for (const [name, d] of [
      ['Critical Task', 0.2],
      ['High Priority Task', 0.15],
      ['Medium Priority Task', 0.1],
      ['Low Priority Task', 0.1],
      ['Another Low Task', 0.05],
    ] as const) {
      expectTime(seconds(find(r, new RegExp(`^ {2}${name}: completed \\(([\\d.]+)s\\)$`))), d, name);
    }
    // timeout run
    expectInOrder(r, ['  [START] Email (Priority: 8)', '  [START] Report (Priority: 5)', '  [TIMEOUT] Tasks did not complete within 0.3s']);
    find(r, /^ {2}Email: completed/);
    find(r, /^ {2}Report: completed/);
    find(r, /^ {2}Backup: cancelled/);
    find(r, /^ {2}Index rebuild: cancelled/);
    expect(findAll(r, /^ {2}\[CANCELLED\] (Backup|Index rebuild)$/)).toHaveLength(2);
    expectTime(totals[1]!, 0.3, 'run with a 0.3 s timeout');
  });
});

// ---------------------------------------------------------------- context managers, iterators, errors

describe('context managers, iterators, error handling', { retry: 1, concurrent: true }, () => {
  it('async-context-managers: enter/exit around bodies, timer, pools that never exceed their size, timeout', async () => {
    const r = await run('async-context-managers.ts');
    expectInOrder(r, [
      'enter: acquiring resource',
      'Using resource',
      'exit: releasing resource',
      'File content: hello async world',
      'File content: Hello, async world!',
    ]);
    expectTime(seconds(find(r, /^Elapsed time: ([\d.]+)s$/)), 1.0, 'AsyncTimer around sleep(1)');
    expect(seconds(find(r, /^Inner operations took: ([\d.]+)s$/))).toBeLessThan(0.9);
    expect(findAll(r, /^ {2}job-\d got resource-[AB]$/)).toHaveLength(5);
    find(r, /^ {2}5 jobs done, at most 2 resources in use at once, 0 still held$/);
    expectInOrder(r, [
      'Connection Pool Demo',
      '  Using 2 connections',
      '  Results: 2 queries executed',
      '  Available connections: 3',
      '  Closing connection 1',
      '  Closing connection 2',
      '  Closing connection 3',
    ]);
    const callStarts = findAll(r, /^ {2}call (\d) starts at ([\d.]+)s$/).map((m) => seconds(m, 2));
    expect(callStarts).toHaveLength(6);
    callStarts.sort((a, b) => a - b);
    // two at a time, 0.2 s each: the 3rd and 5th calls can only start once a slot is free again
    expect(callStarts[2]! - callStarts[0]!).toBeGreaterThanOrEqual(0.19);
    expect(callStarts[4]! - callStarts[2]!).toBeGreaterThanOrEqual(0.19);
    expectTime(seconds(find(r, /^ {2}6 calls done, at most 2 at once, ([\d.]+)s$/)), 0.6, 'six 0.2 s calls, two at a time');
    find(r, /^ {2}Operation timed out after 0\.2s$/);
    absent(r, /Operation finished in time/);
    expect(findAll(r, /^ {2}file\d\.txt: 3 lines, \d+ bytes$/)).toHaveLength(3);
    find(r, /^Processed 3 files$/);
  });

  it('async-iterators: counters, streams, file reader, paged result set, merged sensors, batches on size and timeout, JSON lines', async () => {
    const r = await run('async-iterators.ts');
    expectInOrder(r, ['Got 0', 'Got 1', 'Got 2', 'Received: chunk1', 'Received: chunk2', 'Received: chunk3']);
    expect(findAll(r, /^Number: (\d+)$/).map((m) => Number(m[1]))).toEqual([1, 2, 3, 4]);
    expectInOrder(r, [
      'Line: first line of the sample file',
      'Line: second line, a little longer than the first one',
      'Line: third and last line',
      'Sample file not found',
    ]);
    find(r, /^Result set: 1:Alice, 2:Bob, 3:Carol, 4:Dave, 5:Erin, 6:Frank, 7:Grace \(3 pages\)$/);
    find(r, /^Pipeline output: \[4, 16, 36, 64, 100\]$/);
    // merged streams: 10 points from each sensor, interleaved; a warning right after every value above 90
    const points = r.lines.map((l, i) => [l.match(/^ {2}(Sensor [ABC]): ([\d.]+)$/), i] as const).filter(([m]) => m);
    expect(points).toHaveLength(30);
    for (const s of ['Sensor A', 'Sensor B', 'Sensor C']) expect(points.filter(([m]) => m![1] === s)).toHaveLength(10);
    expect(new Set(points.slice(0, 3).map(([m]) => m![1])).size, 'sources interleave').toBe(3);
    for (const [m, i] of points) {
      expect(r.lines[i + 1] === '    ⚠️ High value detected!', `warning after ${m![0]}`).toBe(Number(m![2]) > 90);
    }
    expectInOrder(r, [
      '  Processed batch: [0, 2, 4, 6, 8] (full)',
      '  Processed batch: [10, 12, 14, 16, 18] (full)',
      '  Processed batch: [20, 22] (timeout)',
      'Parsed: {"id":1,"event":"login"}',
      'Parsed: {"id":2,"event":"click","x":10}',
      'Parsed: {"id":3,"event":"logout"}',
    ]);
  });

  it('error-handling: retry with backoff, safe gather, timeouts, shield, cancellation cleanup, circuit breaker', async () => {
    const r = await run('error-handling.ts');
    const retries = findAll(r, /^ {2}\{"level":"warn","event":"retry".*"retry_in":([\d.]+)\}$/).map((m) => seconds(m));
    const attempts = Number(find(r, /^ {2}\((\d) attempts\)$/)[1]);
    expect(retries).toHaveLength(attempts - 1);
    retries.forEach((d, i) => expect(d).toBe(0.5 * 2 ** i));
    if (attempts <= 4) find(r, /^Operation result: Success$/);

    find(r, /^Safe gather results: \[ValueError\('Task failed'\), 'Task succeeded'\]$/);
    expectInOrder(r, [
      'operation timed out',
      'remote call attempt 1: timed out after 0.8s, retrying in 0.1s',
      'remote call attempt 2: timed out after 0.8s, retrying in 0.2s',
      'remote call attempt 3: answer after 0.3s',
      'Timeout, but task is still running...',
      'Result: Protected done!',
      'Timeout but protected coroutine keeps running in background',
      'Finally got: protected done',
      'long_task: started',
      'long_task: was cancelled, cleaning up',
      'main: confirmed task cancelled',
      'shutdown requested',
    ]);
    absent(r, /^long_task: finished$/);
    expect(findAll(r, /^worker-\d: closing its connection$/)).toHaveLength(3);
    const jobs = find(r, /^supervisor: all workers stopped after (\d+)\+(\d+)\+(\d+) jobs$/).slice(1).map(Number);
    for (const j of jobs) expect(j).toBeGreaterThanOrEqual(1); // 1 s of 0.3 s jobs (3 when on time), then cut off
    for (const j of jobs) expect(j).toBeLessThanOrEqual(3);

    const delays = findAll(r, /^ {10}Retrying in ([\d.]+)s \(attempt (\d)\)$/).map((m) => seconds(m));
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeGreaterThanOrEqual(0.1);
    expect(delays[0]).toBeLessThanOrEqual(0.111);
    expect(delays[1]).toBeGreaterThanOrEqual(0.2);
    expect(delays[1]).toBeLessThanOrEqual(0.221);
    expectInOrder(r, ['  Task ID: unreliable_task', '  State: success', '  Attempts: 3', '  Result: Success!']);

    const circuit = expectInOrder(r, [
      '  Call 1: Failed - Service unavailable',
      '  [CIRCUIT] Opened (too many failures)',
      '  Call 2: Failed - Service unavailable',
      /^ {2}Call 3: Blocked - Circuit breaker is open/,
      /^ {2}Call \d: Success - Service recovered$/,
      '  [CIRCUIT] Closed (recovered)',
      '  Circuit state: closed',
    ]);
    expect(circuit[4]! - circuit[3]!).toBeLessThanOrEqual(3); // recovers within two more calls after the first block
  });
});

// ---------------------------------------------------------------- real I/O: HTTP, database, TCP, subprocesses

describe('HTTP, database, TCP and subprocesses', { retry: 1, concurrent: true }, () => {
  it('http-client: local server, at most 3 in flight, 5 req/s spacing, retries, concurrent scraping, integration', async () => {
    const r = await run('http-client.ts');
    find(r, /^ {2}\(local server at http:\/\/127\.0\.0\.1:\d+\)$/);
    expectInOrder(r, ['  Status: 200', /^ {2}Time: [\d.]+s/, /^ {2}Content: \{"userId":1,"id":1,"title":"post number 1".*\.\.\.$/]);
    find(r, /^ {2}Completed: 5\/5 requests$/);
    find(r, /^ {2}Server saw at most 3 requests at once$/);
    find(r, /^ {2}Completed: 6\/6 requests$/);
    // the limiter waits a full interval after each start (timers may fire up to ~1 ms early: 0.01 course s)
    expect(seconds(find(r, /^ {2}Smallest gap between request starts: ([\d.]+)s$/))).toBeGreaterThanOrEqual(0.18);
    const times = findAll(r, /^ {2}Time: ([\d.]+)s$/).map((m) => seconds(m));
    expect(times[2], 'six requests at 5/s take at least 1 s').toBeGreaterThanOrEqual(1.0);
    find(r, /^ {2}Requests the server received: 6$/);
    expectInOrder(r, [
      '  attempt 1: HTTP 503, retrying in 0.10s',
      '  attempt 2: HTTP 503, retrying in 0.20s',
      /^Fetched data: \{"slideshow":\{"author":"Yours Truly"/,
      'Scraped 3 pages',
    ]);
    const scrape = seconds(find(r, /^ {2}Time: ([\d.]+)s \(each page takes 1s\)$/));
    expectTime(scrape, 1.0, 'three 1 s pages fetched concurrently');
    find(r, /^Saved 3 files \(820 bytes\) in [\d.]+s$/);
    expectInOrder(r, ['  crawler: HTTP 500 on attempt 1, retrying', 'Integration test completed with 2 results']);
    find(r, /^ {2}\/api\/data\/1: sum 31$/);
    find(r, /^ {2}\/api\/data\/2: sum 62$/);
  });

  it('database: real PGlite — the seed\'s CRUD output, transactions commit and roll back, batch and concurrent queries', async () => {
    const r = await run('database.ts');
    expectInOrder(r, [
      'ASYNC DATABASE OPERATIONS DEMO',
      /^ {2}Connected to database \(PostgreSQL \d+\.\d+ \(PGlite/,
      '1. Creating users table...',
      '2. Inserting users...',
      '  Created user 1: Alice Johnson',
      '  Created user 2: Bob Smith',
      '  Created user 3: Carol Davis',
      '3. Querying users...',
      '  - Alice Johnson (alice@example.com)',
      '  - Bob Smith (bob@example.com)',
      '  - Carol Davis (carol@example.com)',
      '4. Getting single user...',
      '  Found: Alice Johnson',
      '  Updated user 2: true -> Robert Smith',
      '  Deleted user 3: true',
      '  Deleted user 99: false',
      '  Committed: user 4 Dave Wilson',
      /^ {2}Rolled back: duplicate key value violates unique constraint/,
      '  Users before: 3, after the failed transaction: 3 (Erin was not kept)',
      /^ {2}Inserted 50 users in one transaction/,
      '  Total users: 53',
      '  Domains: example.com=53',
      '  Disconnected from database',
    ]);
  });

  it('tcp-echo: three clients echoed, a conversation until "quit", lines until EOF, a file transfer, UDP', async () => {
    const r = await run('tcp-echo.ts');
    const port = find(r, /^Serving on \('127\.0\.0\.1', (\d+)\)$/)[1];
    expect(Number(port)).toBeGreaterThan(0);
    for (const i of [1, 2, 3]) {
      find(r, new RegExp(`^Received 'hello from client ${i}' from \\('127\\.0\\.0\\.1', \\d+\\)$`));
      find(r, new RegExp(`^Received: hello from client ${i}$`));
    }
    for (const [client, words] of [
      ['client-A', ['one', 'two', 'three']],
      ['client-B', ['alpha', 'beta', 'gamma']],
    ] as const) {
      expectInOrder(r, [...words.map((w) => `${client} sent "${w}", got "echo: ${w}"`), `${client} sent "quit", got "bye"`]);
    }
    expect(findAll(r, /^server: \('127\.0\.0\.1', \d+\) disconnected$/)).toHaveLength(2);
    expectInOrder(r, ['Line: first', 'Line: second', 'Line: third', 'Line: <EOF>']);
    find(r, /^Transferred big\.bin: 1048576 bytes in \d+ chunks, checksum matches$/);
    expectInOrder(r, ['UDP server: received "hello over udp" from 127.0.0.1', 'UDP client: got "hello over udp" back', 'Discovered: cache-service, db-service']);
  });

  it('tcp-chat: nicknames (a taken one refused), broadcast to the others only, ping, leave notices', async () => {
    const r = await run('tcp-chat.ts');
    expectInOrder(r, [
      /^\[SERVER\] Listening on \('127\.0\.0\.1', \d+\)$/,
      '[JOIN] alice (ID: user_1)',
      '  [alice received] connect: Welcome alice! Online: alice',
      '[JOIN] bob (ID: user_2)',
      '  [alice received] server: bob joined the chat',
      '[JOIN] carol (ID: user_3)',
      "  [newcomer received] error: Nickname 'alice' is taken",
      '[JOIN] dave (ID: user_4)',
      '  [newcomer received] connect: Welcome dave! Online: alice, bob, carol, dave',
      '  [bob received] alice: Hi everyone!',
      '  [carol received] alice: Hi everyone!',
      '  [newcomer received] alice: Hi everyone!',
      '  [bob received] pong',
      '  [bob received] error: Unknown message type: shout',
      '  [alice received] carol: Bye!',
      '[DISCONNECT] carol',
      '  [alice received] server: carol left the chat',
      '  [newcomer received] server: carol left the chat',
      '[DISCONNECT] dave',
      '[DISCONNECT] bob',
      '  [alice received] server: bob left the chat',
      '[DISCONNECT] alice',
      '[SERVER] stopped',
    ]);
    absent(r, /^ {2}\[alice received\] alice:/);
    absent(r, /^ {2}\[carol received\] carol:/);
  });

  it('subprocesses: node --version, five children at once faster than one by one, a failure, streamed output, a timeout kill', async () => {
    const r = await run('subprocesses.ts');
    expectInOrder(r, ['Return code: 0', `STDOUT: ${process.version}`, 'STDERR:']);
    const workers = findAll(r, /^ {2}worker (\d): sum=(\d+) \(exit 0\)$/);
    expect(workers.map((m) => Number(m[1]))).toEqual([1, 2, 3, 4, 5]);
    for (const m of workers) {
      const n = Number(m[1]) * 1000;
      expect(Number(m[2])).toBe((n * (n + 1)) / 2);
    }
    find(r, /^Aggregated: 5 processes, 5 succeeded$/);
    find(r, /^Distinct process ids: 5$/);
    const t = find(r, /^One after another: ([\d.]+)s; concurrently: ([\d.]+)s/);
    expect(seconds(t, 1), 'one by one takes at least the sum of the sleeps').toBeGreaterThanOrEqual(3.0 * 0.97);
    expect(seconds(t, 2), 'concurrently takes at least the longest sleep').toBeGreaterThanOrEqual(1.0 * 0.97);
    // Start-up is CPU work that a loaded machine serialises, so compare overlap rather than wall times: run one by
    // one, the children's own run times would add up to the wall time (1x).
    expect(Number(find(r, /^Overlap: .* \(([\d.]+)x\)$/)[1]), 'the five children ran at the same time').toBeGreaterThanOrEqual(1.8);
    expectInOrder(r, ['Return code: 3', 'STDERR: something went wrong']);
    const progress = findAll(r, /^ {2}at ([\d.]+)s: progress (\d)\/3$/);
    expect(progress.map((m) => Number(m[2]))).toEqual([1, 2, 3]);
    expect(seconds(progress[2]!) - seconds(progress[0]!), 'lines arrive as they are printed, 0.5 s apart').toBeGreaterThanOrEqual(0.5);
    const killed = find(r, /^Killed after ([\d.]+)s: signal SIGTERM, output ""$/);
    expect(seconds(killed)).toBeLessThan(3); // the child wanted 5 s
  });
});

// ---------------------------------------------------------------- primitives and queues

describe('synchronization primitives and queues', { retry: 1, concurrent: true }, () => {
  it('sync-primitives: lock serialises, semaphores cap, event releases all, condition hands over, producer/consumer', async () => {
    const r = await run('sync-primitives.ts');
    expectInOrder(r, [
      'Task 1 acquired the lock and is accessing shared resource.',
      'Task 1 released the lock.',
      'Task 2 acquired the lock and is accessing shared resource.',
      'Task 2 released the lock.',
      ...[0, 1, 2, 3, 4].flatMap((i) => [`task${i} sees ${i}`, `task${i} incremented to ${i + 1}`]),
      'Final counter: 5',
      'Without the lock: Final counter: 1 (lost updates)',
    ]);
    expect(peakOpen(r, /: Acquired semaphore, working\.\.\.$/, /: Released semaphore\.$/)).toBe(2);
    expect(findAll(r, /^Worker [A-D]: Released semaphore\.$/)).toHaveLength(4);
    expect(peakOpen(r, /^Worker \d acquired slot$/, /^Worker \d releasing slot$/)).toBe(2);
    expect(findAll(r, /^Worker \d releasing slot$/)).toHaveLength(5);
    find(r, /^Pool: 6 users served, at most 3 at once$/);
    const ev = expectInOrder(r, ['Coroutine A: Waiting for event...', 'Coroutine B: Waiting for event...', 'Setter: Setting the event...']);
    for (const n of ['A', 'B']) expect(r.lines.indexOf(`Coroutine ${n}: Event received!`)).toBeGreaterThan(ev[2]!);
    expectInOrder(r, ['monitor: ready, starting all workers', 'worker-1 started', 'worker-2 started', 'worker-3 started']);
    expect(seconds(find(r, /^All 3 workers started within ([\d.]+)s of each other$/))).toBeLessThan(0.05);
    expectInOrder(r, [
      'Producer produced: item_0',
      'Consumer consumed: item_0',
      'Producer produced: item_1',
      'Consumer consumed: item_1',
      'Producer produced: item_2',
      'Produced 0',
      'Consumed 0',
      'Produced 1',
      'Consumed 1',
      'Produced 2',
      'Consumed 2',
    ]);
    const processed = findAll(r, /^Consumer \d: Processing Item-(\d)\.$/).map((m) => Number(m[1]));
    expect(processed.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(findAll(r, /^Consumer \d: Received termination signal\.$/)).toHaveLength(3);
    expectInOrder(r, ['All tasks completed.', /^ {2}items per consumer: \d+, \d+, \d+ \(total 10\)$/]);
    find(r, /^Condition version: consumed 10 items/);
    find(r, /^Queue version: consumed 10 items/);
  });

  it('queues: bounded FIFO with join, sentinel, priority order, worker-pool pipeline, urgent first, LIFO, staged pipeline', async () => {
    const r = await run('queues.ts');
    expect(findAll(r, /^Producing: (\d)$/).map((m) => Number(m[1]))).toEqual([0, 1, 2, 3, 4]);
    expect(findAll(r, /^Consuming: (\d)$/).map((m) => Number(m[1]))).toEqual([0, 1, 2, 3, 4]);
    for (let i = 0; i < 5; i++) expectInOrder(r, [`Produced item-${i}`, `Consumed item-${i}`]);
    expectInOrder(r, ['Got: high-priority', 'Got: medium', 'Got: low-priority']);
    const split = find(r, /^Pipeline: 12 images resized by 3 workers \(worker 1: (\d+), worker 2: (\d+), worker 3: (\d+)\)$/);
    expect(Number(split[1]) + Number(split[2]) + Number(split[3])).toBe(12);
    expectTime(seconds(find(r, /^Aggregated thumbnails: \d+ bytes in ([\d.]+)s/)), 1.2, 'four waves of 0.3 s resizes');
    const prios = find(r, /^Processed in priority order after the first: (.*)$/)[1]!.split(' <= ').map(Number);
    expect(prios).toHaveLength(7);
    expect([...prios].sort((a, b) => a - b)).toEqual(prios);
    expectInOrder(r, [
      "Typed '!' -> 'Hello async world!'",
      "Undo '!' -> 'Hello async world'",
      "Undo ' world' -> 'Hello async'",
      "Undo ' async' -> 'Hello'",
    ]);
    expect(findAll(r, /^ {2}consumer \d handled item (\d)$/).map((m) => Number(m[1])).sort()).toEqual([0, 1, 2, 3, 4]);
    find(r, /^Producer-consumer pattern completed$/);
    expectInOrder(r, ["[PIPELINE] 'Data Processing Pipeline' started with 3 stages", 'Adding test data...']);
    expect(findAll(r, /^\[SINK\] Processed item (item_\d)$/).map((m) => m[1]).sort()).toEqual(['item_0', 'item_2', 'item_3']);
    find(r, /^\[ERROR\] Stage normalize: could not convert string to float: 'invalid'$/);
    expectInOrder(r, [
      "[PIPELINE] 'Data Processing Pipeline' stopped",
      /^ {2}normalize: \{'processed': 4, 'errors': 1, /,
      /^ {2}validate: \{'processed': 4, 'errors': 0, /,
      /^ {2}output: \{'processed': 3, 'errors': 0, /,
    ]);
  });
});

// ---------------------------------------------------------------- anti-patterns

describe('anti-patterns', { retry: 1, concurrent: true }, () => {
  it('blocking-sleep: blockingSleep freezes the ticker and another request for ~150 ms; the awaited version does not', async () => {
    // A tiny scale must not shrink the block below what a profiler flags.
    const r = await run('blocking-sleep.ts', [], 0.01);
    find(r, /^handleRequest: calling blockingSleep\(150 ms\)$/);
    const blocked = find(r, /^blocking: ticker ticked (\d+) times during the request .* longest gap between ticks (\d+) ms$/);
    expect(Number(blocked[1])).toBeLessThanOrEqual(1);
    expect(Number(blocked[2])).toBeGreaterThanOrEqual(140);
    expect(Number(find(r, /^blocking: another request that needs 20 ms was answered after (\d+) ms$/)[1])).toBeGreaterThanOrEqual(140);
    const fixed = find(r, /^fixed: ticker ticked (\d+) times during the request .* longest gap between ticks (\d+) ms$/);
    expect(Number(fixed[1])).toBeGreaterThanOrEqual(7);
    expect(Number(fixed[2])).toBeLessThan(100);
    expect(Number(find(r, /^fixed: another request that needs 20 ms was answered after (\d+) ms$/)[1])).toBeLessThan(100);
  });

  it('forgotten-await: main returns before its floating tasks finish, the rejection only reaches the process handler; --fixed awaits both', async () => {
    const r = await run('forgotten-await.ts');
    const main = expectInOrder(r, [
      /^main: registered alice after ([\d.]+)s; audit log written yet\? no$/,
      'warning: unhandled promise rejection (nobody awaited it): SMTP connection refused while emailing alice',
      'exit: the audit log was written after registerUser had already returned; its result was never read',
    ]);
    expect(seconds(r.lines[main[0]!]!.match(/after ([\d.]+)s/)!)).toBeLessThan(0.2);

    const f = await run('forgotten-await.ts', ['--fixed']);
    expectInOrder(f, [
      'registerUserFixed: audit entry for alice saved',
      'registerUserFixed: welcome email failed (handled): SMTP connection refused while emailing alice',
      /^main: registered alice after ([\d.]+)s; audit log written yet\? yes$/,
    ]);
    expectTime(seconds(find(f, /^main: registered alice after ([\d.]+)s/)), 0.5, 'both awaited');
    absent(f, /^warning: unhandled/);
  });

  it('await-in-loop: fetchUser calls never overlap in the loop (1.0 s); with --fixed all five overlap (0.2 s)', async () => {
    const r = await run('await-in-loop.ts');
    expect(peakOpen(r, /^fetchUser\(\d\) started$/, /^fetchUser\(\d\) done$/)).toBe(1);
    const slow = seconds(find(r, /^Fetched 5 users \(Ada, Brian, Chen, Dana, Emil\) one at a time in ([\d.]+)s$/));
    expectTime(slow, 1.0, 'five awaits in a loop');

    const f = await run('await-in-loop.ts', ['--fixed']);
    expect(peakOpen(f, /^fetchUser\(\d\) started$/, /^fetchUser\(\d\) done$/)).toBe(5);
    const fast = seconds(find(f, /^Fetched 5 users \(Ada, Brian, Chen, Dana, Emil\) concurrently in ([\d.]+)s$/));
    expectTime(fast, 0.2, 'Promise.all');
    expect(slow / fast).toBeGreaterThan(2);
  });

  it('unbounded-fanout: 10,000 in flight at once; with --fixed p-limit keeps it to 200', async () => {
    const r = await run('unbounded-fanout.ts');
    expectInOrder(r, ['Started 10000 tasks at once, no limit', 'Peak in flight: 10000', /^All 10000 done in [\d.]+s$/]);
    const f = await run('unbounded-fanout.ts', ['--fixed']);
    expectInOrder(f, ['Ran 10000 tasks through p-limit(200)', 'Peak in flight: 200', /^All 10000 done in ([\d.]+)s$/]);
    // 50 waves of 0.1 s
    expect(seconds(find(f, /^All 10000 done in ([\d.]+)s$/))).toBeGreaterThanOrEqual(5.0 * 0.97);
  });
});
