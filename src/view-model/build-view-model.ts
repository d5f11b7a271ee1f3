// TraceModel -> ViewModel: columns in display order, interned strings, the event-loop lane, the
// concurrency curve and the summary the header shows. Linear in the trace apart from a few sorts.
import { basename } from 'node:path';
import { isAwaitChain } from '../analysis/await-chain.js';
import type { TraceModel } from '../model/types.js';
import { buildViewAnalysis } from './analysis.js';
import { Arena, type ArenaRequest } from './arena.js';
import { sourceReader } from '../analysis/read-source.js';
import { concurrencyColumns, concurrencySpace } from './concurrency.js';
import { eventLoopLane, eventLoopSpace } from './event-loop.js';
import { countCallbacks, groupResources, resourceGroupsSpace } from './resource-groups.js';
import { newSourceRequest, readSourceLines, wantLine } from './source-lines.js';
import { StringTable } from './string-table.js';
import { orderTasks, orderTasksSpace } from './task-order.js';
import {
  OUTCOME_FULFILLED,
  OUTCOME_PENDING,
  OUTCOME_REJECTED,
  SEGMENT_RUN,
  SEGMENT_WAIT,
  type ViewBlocking,
  type ViewModel,
} from './types.js';

export interface BuildOptions {
  /** Attach the text of referenced source lines (default true). */
  sources?: boolean;
  /** Attach the analysis section (analysis.ts; default true). */
  analysis?: boolean;
}

const MAX_ERRORS = 200;
const MAX_MARKS = 20_000;

export function buildViewModel(model: TraceModel, options: BuildOptions = {}): ViewModel {
  const wall = Number.isFinite(model.wallMs) && model.wallMs > 0 ? model.wallMs : 0;
  const tasks = model.tasks;
  const n = tasks.length;
  const strings = new StringTable();
  const sources = newSourceRequest();

  // Size everything first and take it from one buffer (see arena.ts).
  let segCount = 0;
  let runCount = 0;
  let maxId = 0;
  for (const t of tasks) {
    if (t.id > maxId) maxId = t.id;
    segCount += t.segments.length;
    for (const s of t.segments) if (s.kind === 'run') runCount++;
  }
  const r = model.resources.length;
  const callbacks = countCallbacks(model.resources);
  const space: ArenaRequest[] = [
    ...orderTasksSpace(n, maxId),
    [4, n], [4, n], [4, n], [4, n], [4, n], [8, n], [8, n], [1, n], [4, n], [4, n], [4, n + 1],
    [8, segCount], [8, segCount], [1, segCount], [4, segCount],
    [8, runCount], [8, runCount], [4, runCount], [2, runCount],
    ...eventLoopSpace(runCount),
    ...resourceGroupsSpace(n, r, callbacks),
    ...concurrencySpace(n),
    [8, model.lag.times.length], [4, model.lag.values.length],
  ];
  const arena = new Arena(Arena.bytesFor(space));
  const tree = orderTasks(tasks, arena, maxId);
  const displayIndexOfTaskId = (id: number | null) => {
    if (id === null || id < 0 || id > maxId) return -1;
    const m = tree.indexById[id]!;
    return m < 0 ? -1 : tree.displayIndexOf[m]!;
  };

  const taskId = arena.i32(n);
  const taskName = arena.i32(n);
  const taskFile = arena.i32(n);
  const taskLine = arena.i32(n);
  const taskKind = arena.i32(n);
  const taskStart = arena.f64(n);
  const taskEnd = arena.f64(n);
  const taskOutcome = arena.u8(n);
  const taskRun = arena.f32(n);
  const taskWait = arena.f32(n);
  const taskSegOff = arena.i32(n + 1);
  const segStart = arena.f64(segCount);
  const segEnd = arena.f64(segCount);
  const segKind = arena.u8(segCount);
  const segLine = arena.i32(segCount);
  const runs = {
    start: arena.f64(runCount),
    end: arena.f64(runCount),
    task: arena.i32(runCount),
    depth: arena.u16(runCount),
    count: 0,
  };
  let fulfilled = 0;
  let rejected = 0;
  let pending = 0;

  let seg = 0;
  let lastWaitLine = -1;
  let lastWaitFile = -1;
  for (let d = 0; d < n; d++) {
    const t = tasks[tree.order[d]!]!;
    taskId[d] = t.id;
    taskName[d] = strings.intern(t.name);
    const file = strings.intern(t.file);
    taskFile[d] = file;
    taskLine[d] = t.line;
    wantLine(sources, file, t.line);
    taskKind[d] = strings.intern(t.kind);
    taskStart[d] = t.startMs;
    const end = t.endMs ?? Math.max(wall, t.startMs);
    taskEnd[d] = Math.max(end, t.startMs);
    taskOutcome[d] = t.outcome === 'rejected' ? OUTCOME_REJECTED : t.outcome === 'pending' ? OUTCOME_PENDING : OUTCOME_FULFILLED;
    if (t.outcome === 'rejected') rejected++;
    else if (t.outcome === 'pending') pending++;
    else fulfilled++;
    taskRun[d] = t.runMs;
    taskWait[d] = t.waitMs;
    taskSegOff[d] = seg;
    for (const s of t.segments) {
      const sEnd = Number.isFinite(s.endMs) ? s.endMs : taskEnd[d]!;
      segStart[seg] = s.startMs;
      segEnd[seg] = Math.max(sEnd, s.startMs);
      segKind[seg] = s.kind === 'run' ? SEGMENT_RUN : SEGMENT_WAIT;
      segLine[seg] = s.line;
      if (s.kind === 'wait') {
        if (s.line !== lastWaitLine || file !== lastWaitFile) wantLine(sources, file, s.line);
        lastWaitLine = s.line;
        lastWaitFile = file;
      }
      else if (segEnd[seg]! > s.startMs) {
        const r = runs.count++;
        runs.start[r] = s.startMs;
        runs.end[r] = segEnd[seg]!;
        runs.task[r] = d;
        runs.depth[r] = tree.depth[d]!;
      }
      seg++;
    }
  }
  taskSegOff[n] = seg;

  const loop = eventLoopLane(runs, arena);
  const groups = groupResources(model.resources, n, displayIndexOfTaskId, strings, arena, callbacks);
  const conc = concurrencyColumns(taskStart, taskEnd, 0, wall, arena);
  const lagTime = arena.f64(model.lag.times.length);
  lagTime.set(model.lag.times);
  const lagValue = arena.f32(model.lag.values.length);
  lagValue.set(model.lag.values);

  const blocking: ViewBlocking[] = model.blocking.map((b) => {
    wantLine(sources, strings.intern(b.file), b.line);
    return {
      startMs: b.startMs,
      durationMs: b.durationMs,
      task: displayIndexOfTaskId(b.taskId),
      function: b.function,
      file: b.file,
      line: b.line,
      stack: b.stack.slice(0, 40),
      inside: b.inside,
      samples: b.samples,
      awaitsResumed: b.awaitsResumed,
      awaitChain: isAwaitChain(b),
    };
  });

  const resourceCounts = new Map<string, number>();
  for (const r of model.resources) resourceCounts.set(r.type, (resourceCounts.get(r.type) ?? 0) + 1);
  let lagMax = 0;
  for (const v of model.lag.values) if (v > lagMax) lagMax = v;

  const sourceLines =
    options.sources === false ? [] : readSourceLines(sources, strings.strings, model.cwd, model.startEpochMs + wall + 2000);

  return {
    header: {
      version: 1,
      meta: {
        script: model.script,
        args: model.args,
        node: model.node,
        platform: model.platform,
        startEpochMs: model.startEpochMs,
        wallMs: wall,
        exitCode: model.exitCode,
        signal: model.signal,
        complete: model.complete,
        blockingThresholdMs: model.blockingThresholdMs,
        blockingMeasured: model.samplingIntervalUs !== 0,
        dropped: model.dropped,
        warnings: model.warnings,
        traceFile: basename(model.tracePath),
      },
      summary: {
        tasks: n,
        fulfilled,
        rejected,
        pending,
        peakConcurrency: conc.maxTasks,
        meanConcurrency: conc.meanTasks,
        lag: model.lagSummary,
        lagMaxMs: lagMax,
        elu: model.elu,
        blocking: model.blocking.length,
        blockingMs: model.blocking.reduce((sum, b) => sum + b.durationMs, 0),
        resources: [...resourceCounts].sort((a, b) => b[1] - a[1]),
        loopBusyMs: loop.busyMs,
      },
      strings: strings.strings,
      blocking,
      errors: model.errors.slice(0, MAX_ERRORS),
      marks: model.marks.slice(0, MAX_MARKS),
      sources: sourceLines,
      analysis: options.analysis === false ? undefined : buildViewAnalysis(model, displayIndexOfTaskId, options.sources === false ? undefined : sourceReader(model)),
    },
    columns: {
      taskId,
      taskParent: tree.parent,
      taskDepth: tree.depth,
      taskSize: tree.size,
      taskChildren: tree.children,
      taskName,
      taskFile,
      taskLine,
      taskKind,
      taskStart,
      taskEnd,
      taskOutcome,
      taskRun,
      taskWait,
      taskSegOff,
      segStart,
      segEnd,
      segKind,
      segLine,
      ...groups,
      loopStart: loop.start,
      loopEnd: loop.end,
      loopCum: loop.cum,
      loopOwner: loop.owner,
      loopTasks: loop.tasks,
      lagTime,
      lagValue,
      concTime: conc.times,
      concValue: conc.values,
    },
  };
}
