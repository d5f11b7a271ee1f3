// Issue 5, unit level: each analysis of src/analysis/ on models built from real traces (the
// scripts run under the real CLI as child processes; the analyses are then called directly).
import { beforeAll, describe, expect, it } from 'vitest';
import { comparePhases, findTask, phaseStats } from '../src/analysis/compare.js';
import { markPhases } from '../src/analysis/phases.js';
import {
  allDependencies as findDependencies,
  bottlenecks,
  criticalPath,
  criticalPathLengths,
  dependenciesOf,
  explainWait,
  findHints,
  runPhases,
  taskPhases,
} from '../src/analysis/queries.js';
import type { Task, TraceModel } from '../src/model/types.js';
import { loadModel } from '../src/trace/load-model.js';
import { fixture, lineOf, profile, runCli } from './fixtures/analysis/profile.js';

const duration = (t: Task) => t.endMs! - t.startMs;
const named = (model: TraceModel, name: string) => model.tasks.find((t) => t.name === name)!;
const children = (model: TraceModel, task: Task) => task.children.map((id) => model.taskById[id]!);

describe('await shapes (test/fixtures/analysis/shapes.ts)', () => {
  let model: TraceModel;
  const file = fixture('shapes.ts');
  beforeAll(async () => {
    model = loadModel((await profile(file, 'shapes')).trace);
  });

  it('sequential awaits: one await edge per wait, in order', () => {
    const seq = named(model, 'sequential');
    const { awaits } = dependenciesOf(model, seq.id);
    expect(awaits.map((d) => d.kind)).toEqual(['await', 'await']);
    expect(awaits.map((d) => d.taskId)).toEqual(seq.children);
    expect(awaits.every((d) => d.resumed && d.settled)).toBe(true);
    expect(awaits.map((d) => d.line)).toEqual([lineOf(file, "await step('first'"), lineOf(file, "await step('second'")]);
  });

  it('Promise.all: every child, the slowest resumed the waiter', () => {
    const all = named(model, 'all');
    const { awaits } = dependenciesOf(model, all.id);
    expect(awaits).toHaveLength(3);
    expect(awaits.every((d) => d.kind === 'all' && d.line === lineOf(file, 'await Promise.all([step('))).toBe(true);
    const slowest = children(model, all).sort((a, b) => duration(b) - duration(a))[0]!;
    expect(awaits.filter((d) => d.resumed).map((d) => d.taskId)).toEqual([slowest.id]);
  });

  it('Promise.allSettled: the rejected child too', () => {
    const settled = named(model, 'settled');
    const { awaits } = dependenciesOf(model, settled.id);
    expect(awaits.map((d) => d.kind)).toEqual(['all', 'all']);
    expect(awaits.map((d) => model.taskById[d.taskId]!.outcome).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('Promise.race: the first to end resumed the waiter, the loser is listed as unsettled', () => {
    const race = named(model, 'race');
    const { awaits } = dependenciesOf(model, race.id);
    const [fast, slow] = children(model, race).sort((a, b) => a.endMs! - b.endMs!);
    expect(awaits.find((d) => d.resumed)!.taskId).toBe(fast!.id);
    expect(awaits.find((d) => d.taskId === slow!.id)).toMatchObject({ kind: 'race', resumed: false, settled: false });
  });

  it('Promise.any: an early rejection, the first fulfilment and a loser', () => {
    const any = named(model, 'any');
    const { awaits } = dependenciesOf(model, any.id);
    const byOutcome = (outcome: string) => awaits.filter((d) => model.taskById[d.taskId]!.outcome === outcome);
    expect(awaits.every((d) => d.kind === 'race')).toBe(true);
    expect(byOutcome('rejected')).toMatchObject([{ resumed: false, settled: true }]);
    const winner = awaits.find((d) => d.resumed)!;
    expect(model.taskById[winner.taskId]!.outcome).toBe('fulfilled');
    expect(awaits.filter((d) => !d.settled)).toHaveLength(1);
  });

  it('return child(): the tail call is awaited', () => {
    const delegate = named(model, 'delegate');
    expect(dependenciesOf(model, delegate.id).awaits).toMatchObject([{ kind: 'await', resumed: true, taskId: delegate.children[0] }]);
  });

  it('main awaited each of its nine children once, in order', () => {
    const main = named(model, 'main');
    const edges = findDependencies(model).filter((d) => d.waiterId === main.id);
    expect(edges.map((d) => d.taskId)).toEqual(main.children);
  });

  it('explainWait: a sleep is ended by its own timer', () => {
    const step = named(model, 'step');
    const wait = step.segments.findIndex((s) => s.kind === 'wait');
    const { resumer } = explainWait(model, step.id, wait);
    expect(resumer?.kind).toBe('resource');
  });

  it('phases: sequential children are two phases, Promise.all children one; main has one per child', () => {
    expect(taskPhases(model, named(model, 'sequential').id)).toHaveLength(2);
    const all = taskPhases(model, named(model, 'all').id);
    expect(all).toHaveLength(1);
    expect(all[0]!.taskIds).toHaveLength(3);
    expect(all[0]!.name).toBe('step ×3');
    const main = named(model, 'main');
    expect(runPhases(model).map((p) => p.taskIds)).toEqual(main.children.map((id) => [id]));
  });

  it('phases: performance.measure() entries are phases and performance.mark() entries markers', () => {
    const { measures, marks } = markPhases(model);
    expect(marks.map((m) => m.name)).toEqual(['shapes:start', 'all:start']);
    expect(measures).toHaveLength(1);
    const all = named(model, 'all');
    expect(measures[0]!.name).toBe('all phase');
    // The measure spans the `all` phase, from the mark before it to the measure after it (marks
    // and tasks are stamped by different clocks: a few ms apart on a busy machine).
    expect(Math.abs(measures[0]!.startMs - all.startMs)).toBeLessThan(10);
    expect(Math.abs(measures[0]!.durationMs - duration(all))).toBeLessThan(10);
  });

  it('critical path of Promise.all goes through its slowest child and its timer', () => {
    const all = named(model, 'all');
    const path = criticalPath(model, all.id);
    const slowest = children(model, all).sort((a, b) => duration(b) - duration(a))[0]!;
    expect(path.taskIds).toEqual([all.id, slowest.id]);
    expect(path.steps.some((s) => s.kind === 'resource' && s.resourceType === 'setTimeout' && s.taskId === slowest.id)).toBe(true);
    expect(path.lengthMs).toBeLessThanOrEqual(duration(all) + 0.001);
    expect(path.lengthMs).toBeGreaterThan(duration(slowest) - 0.001);
    // Steps are in time order and do not overlap.
    for (let i = 1; i < path.steps.length; i++) expect(path.steps[i]!.startMs).toBeGreaterThanOrEqual(path.steps[i - 1]!.endMs - 1e-6);
  });

  it('critical path of sequential awaits is the whole chain; every length is at most the duration', () => {
    const seq = named(model, 'sequential');
    const path = criticalPath(model, seq.id);
    expect(path.taskIds).toEqual([seq.id, ...seq.children]);
    expect(path.lengthMs / duration(seq)).toBeGreaterThan(0.97);
    for (const [id, length] of criticalPathLengths(model)) {
      const task = model.taskById[id]!;
      expect(length).toBeLessThanOrEqual((task.endMs ?? model.wallMs) - task.startMs + 0.001);
    }
  });
});

describe('download manager (scaled 0.1)', () => {
  let model: TraceModel;
  let printed: Map<string, number[]>;
  beforeAll(async () => {
    const run = await profile('samples/download-manager.ts', 'download-manager');
    model = loadModel(run.trace);
    printed = new Map();
    for (const m of run.stdout.matchAll(/✓ (\S+) downloaded in ([\d.]+)s/g)) printed.set(m[1]!, [...(printed.get(m[1]!) ?? []), Number(m[2])]);
  });

  it("the parallel phase's critical path is the movie.mp4 download", () => {
    const parallel = named(model, 'parallelDownload');
    const downloads = children(model, parallel);
    expect(downloads).toHaveLength(5);
    const path = criticalPath(model, parallel.id);
    expect(path.taskIds).toHaveLength(2);
    const onPath = model.taskById[path.taskIds[1]!]!;
    // movie.mp4 is the first of the five started, and the longest (500 MB).
    expect(onPath.id).toBe(downloads[0]!.id);
    expect(duration(onPath)).toBe(Math.max(...downloads.map(duration)));
    // And it took what the sample printed for movie.mp4 in the parallel phase (course seconds x 0.1 x 1000).
    expect(Math.abs(duration(onPath) - printed.get('movie.mp4')![1]! * 100)).toBeLessThan(15);
    expect(path.lengthMs / duration(parallel)).toBeGreaterThan(0.97);
  });

  it('phases of main: server start-up, the sequential phase, the parallel phase', () => {
    expect(runPhases(model).map((p) => p.name)).toEqual(['startLocalServer', 'sequentialDownload', 'parallelDownload']);
    expect(taskPhases(model, named(model, 'sequentialDownload').id)).toHaveLength(5);
    expect(taskPhases(model, named(model, 'parallelDownload').id)).toHaveLength(1);
  });

  it('phaseStats and comparePhases: sequential against parallel', () => {
    const seq = findTask(model, 'sequentialDownload')!;
    const par = findTask(model, 'parallelDownload')!;
    expect(findTask(model, `#${par.id}`)).toBe(par);
    expect(findTask(model, `parallelDownload#${par.id}`)).toBe(par);
    expect(findTask(model, `sequentialDownload#${par.id}`)).toBeUndefined();
    const cmp = comparePhases(model, seq.id, par.id);
    expect(cmp.speedup).toBeCloseTo(duration(seq) / duration(par), 2);
    expect(cmp.a.maxConcurrency).toBe(1);
    // Five downloads start in one tick; at this scale the 5 MB one (5 ms) can end before a slow
    // machine has started the fifth.
    expect(cmp.b.maxConcurrency).toBeGreaterThanOrEqual(4);
    expect(cmp.b.maxConcurrency).toBeLessThanOrEqual(5);
    expect(cmp.a.workTasks).toBe(5);
    expect(cmp.b.workMs).toBeCloseTo(children(model, par).reduce((s, t) => s + duration(t), 0), 1);
    const run = phaseStats(model, null);
    expect(run.wallMs).toBeCloseTo(model.wallMs, 1);
    expect(run.criticalPathMs).toBeLessThanOrEqual(run.wallMs + 0.01);
  });

  it('dependencies: sequential awaits in the loop, Promise.all in the parallel phase', () => {
    const seq = named(model, 'sequentialDownload');
    const par = named(model, 'parallelDownload');
    const loopLine = lineOf('samples/download-manager.ts', 'await downloadFile(baseUrl, filename, sizeMb)');
    expect(dependenciesOf(model, seq.id).awaits.map((d) => [d.kind, d.line])).toEqual(Array(5).fill(['await', loopLine]));
    const parallel = dependenciesOf(model, par.id).awaits;
    expect(parallel.map((d) => d.kind)).toEqual(Array(5).fill('all'));
    expect(new Set(parallel.map((d) => d.taskId))).toEqual(new Set(par.children));
  });
});

// The promise-heavy benchmark's own workload, smaller: thousands of awaits inside each tick of
// the profiler's clock. Their times tie, their order does not.
describe('dense awaits (bench/workloads/promise-heavy.ts, 10,000 calls)', () => {
  let model: TraceModel;
  let trace = '';
  const n = 10_000;
  beforeAll(async () => {
    trace = (await profile('bench/workloads/promise-heavy.ts', 'dense', { args: [String(n)] })).trace;
    model = loadModel(trace);
  });

  it('ties in time do not mix up which call each await waited for', () => {
    const seq = named(model, 'sequential');
    expect(seq.children).toHaveLength(n);
    // Hundreds of these waits share one clock reading: they are told apart by event order.
    const ticks = new Set(seq.segments.map((s) => s.startMs));
    expect(ticks.size).toBeLessThan(seq.segments.length / 4);
    const { awaits } = dependenciesOf(model, seq.id);
    expect(awaits).toHaveLength(n);
    expect(awaits.every((d) => d.kind === 'await' && d.resumed && d.settled)).toBe(true);
    expect(awaits.map((d) => d.taskId)).toEqual(seq.children);
    const unit = model.taskById[seq.children[n >> 1]!]!;
    expect(dependenciesOf(model, unit.id).awaits.map((d) => d.taskId)).toEqual(unit.children);
  });

  it('Promise.all of hundreds: one wait, every call an edge of it', () => {
    const concurrent = named(model, 'concurrent');
    const { awaits } = dependenciesOf(model, concurrent.id);
    expect(awaits).toHaveLength(n / 10);
    expect(awaits.every((d) => d.kind === 'all')).toBe(true);
    expect(new Set(awaits.map((d) => d.taskId))).toEqual(new Set(concurrent.children));
  });

  it('a trace too large for the memory the process may use: one clear line, exit 1, not a crash', async () => {
    // The analysis keeps its columns outside Node's heap and needs little of it, so the trace
    // must be large for a small heap (a 16 MB old space: a 67 MB heap): 150,000 calls, about 1.6
    // million events. The variable stands for a machine without the memory to analyse it in a
    // child with a larger heap (test/large-trace.test.ts).
    const large = await profile('bench/workloads/promise-heavy.ts', 'dense-large', { args: ['150000'] });
    const result = await runCli(['report', large.trace], { env: { NODE_OPTIONS: '--max-old-space-size=16', ASYNC_PROF_LARGER_HEAP: '1' } });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/events need about \d+ MB to analyse, more than this process may use \(\d+ MB\); run it again with NODE_OPTIONS=--max-old-space-size=\d+/);
    // With that much, it works.
    const again = await runCli(['report', '--json', large.trace], { env: { NODE_OPTIONS: '--max-old-space-size=1024' } });
    expect(again.code, again.stderr).toBe(0);
  });

  it("the run's critical path still covers the run, and the loop hint counts each call once", () => {
    const path = criticalPath(model, null);
    expect(path.lengthMs).toBeCloseTo(model.wallMs, 0);
    const hint = findHints(model).find((h) => h.kind === 1);
    expect(hint?.message).toContain(`sequential awaited ${n} calls to unit one after another`);
  });
});

describe('restaurant (scaled 0.1)', () => {
  let model: TraceModel;
  beforeAll(async () => {
    model = loadModel((await profile('samples/restaurant.ts', 'restaurant')).trace);
  });

  it("the run's critical path goes through the longest main course", () => {
    const mains = model.tasks.filter((t) => t.name === 'prepareMainCourse');
    expect(mains).toHaveLength(4);
    const longest = mains.sort((a, b) => duration(b) - duration(a))[0]!;
    const path = criticalPath(model, null);
    expect(path.taskIds).toContain(longest.id);
    // restaurant -> the slowest order -> its main course -> the station's timer.
    expect(path.taskIds.map((id) => model.taskById[id]!.name)).toEqual(['restaurant', 'processOrder', 'prepareMainCourse', 'station']);
    expect(path.lengthMs).toBeCloseTo(model.wallMs, 0);
  });

  it('bottlenecks: the main course timer takes most of the wall time', () => {
    const [top] = bottlenecks(model, criticalPath(model, null));
    expect(top!.kind).toBe('resource');
    expect(top!.label).toContain('setTimeout awaited by station');
    expect(top!.share).toBeGreaterThan(0.8);
  });

  it('every order waited on its three stations with Promise.all', () => {
    for (const order of model.tasks.filter((t) => t.name === 'processOrder')) {
      const { awaits } = dependenciesOf(model, order.id);
      expect(awaits.map((d) => d.kind)).toEqual(['all', 'all', 'all']);
      expect(awaits.filter((d) => d.resumed)).toHaveLength(1);
    }
  });
});
