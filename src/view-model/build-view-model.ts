// TraceModel -> ViewModel: columns in display order, interned strings, the event-loop lane, the
// concurrency curve and the summary the header shows. Linear in the trace apart from a few sorts.
import { basename } from 'node:path';
import { isAwaitChain } from '../analysis/await-chain.js';
import { concurrencySpace, concurrencySweep } from '../analysis/concurrency.js';
import { analysisOf } from '../analysis/pipeline.js';
import { sourceReader } from '../model/source-reader.js';
import { OUTCOME_FULFILLED as MODEL_FULFILLED, OUTCOME_REJECTED as MODEL_REJECTED, SEGMENT_RUN as MODEL_RUN, type TraceModel } from '../model/types.js';
import { buildViewAnalysis } from './analysis.js';
import { Arena, type ArenaRequest } from './arena.js';
import { eventLoopLane, eventLoopSpace } from './event-loop.js';
import { groupResources, resourceGroupsSpace } from './resource-groups.js';
import { newSourceRequest, readSourceLines, wantLine } from './source-lines.js';
import { StringTable } from './string-table.js';
import { runModels } from '../model/message-links.js';
import { viewMessages } from './messages.js';
import { mergeThreads } from './threads.js';
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
/** Rows of the per-handler table the page gets (one per function; a run has few functions, a generated one may have many). */
const MAX_VIEW_HANDLERS = 5_000;
/** Routes are capped where they are recorded (200 a process); this bounds merged or older data too. */
const MAX_VIEW_ROUTES = 1_000;

/** The columns this file fills itself, per task, segment and run segment. */
function ownColumnsSpace(n: number, segCount: number, runCount: number, lagCount: number): ArenaRequest[] {
  return [
    [4, n], // taskId
    [4, n], // taskName
    [4, n], // taskFile
    [4, n], // taskLine
    [4, n], // taskKind
    [8, n], // taskStart
    [8, n], // taskEnd
    [1, n], // taskOutcome
    [4, n], // taskRun
    [4, n], // taskWait
    [4, n + 1], // taskSegOff
    [8, segCount], // segStart
    [8, segCount], // segEnd
    [1, segCount], // segKind
    [4, segCount], // segLine
    [8, runCount], // run segments: start
    [8, runCount], // run segments: end
    [4, runCount], // run segments: task
    [2, runCount], // run segments: depth
    [8, lagCount], // lagTime
    [4, lagCount], // lagValue
  ];
}

export function buildViewModel(model: TraceModel, options: BuildOptions = {}): ViewModel {
  const main = buildThreadViewModel(model, options);
  // Worker threads, then each child process and its threads: a lane group each.
  const others = runModels(model).slice(1);
  if (others.length === 0) return main;
  // Each by the same builder, then merged into the main thread's (threads.ts).
  const workers = others.map((w) => ({ model: w, view: buildThreadViewModel(w, { sources: false, analysis: false }) }));
  const merged = mergeThreads(main, model, workers);
  const messages = viewMessages(model, [model, ...others], merged.header.threads!, merged.columns.taskId);
  if (messages.length > 0) merged.header.messages = messages;
  return merged;
}

function buildThreadViewModel(model: TraceModel, options: BuildOptions): ViewModel {
  const analysis = analysisOf(model, { source: sourceReader(model) });
  const wall = Number.isFinite(model.wallMs) && model.wallMs > 0 ? model.wallMs : 0;
  const T = model.columns.tasks;
  const S = model.columns.segments;
  const R = model.columns.resources;
  const F = model.functions;
  const n = T.count;
  const strings = new StringTable();
  const sources = newSourceRequest();

  // Size everything first and take it from one buffer (see arena.ts).
  let runCount = 0;
  for (let s = 0; s < S.count; s++) if (S.kind[s] === MODEL_RUN) runCount++;
  const lagCount = model.lag.times.length;
  const space: ArenaRequest[] = [
    ...orderTasksSpace(n),
    ...ownColumnsSpace(n, S.count, runCount, lagCount),
    ...eventLoopSpace(runCount),
    ...resourceGroupsSpace(n, R.count, R.callbacks.length),
    ...concurrencySpace(n),
  ];
  const arena = new Arena(Arena.bytesFor(space));
  const tree = orderTasks(T, arena);
  const displayIndexOfTaskId = (id: number | null) => {
    if (id === null) return -1;
    const t = T.indexOfId(id);
    return t < 0 ? -1 : tree.displayIndexOf[t]!;
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
  const segStart = arena.f64(S.count);
  const segEnd = arena.f64(S.count);
  const segKind = arena.u8(S.count);
  const segLine = arena.i32(S.count);
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
    const t = tree.order[d]!;
    const fn = T.fn[t]!;
    taskId[d] = T.id[t]!;
    taskName[d] = strings.intern(F.name[fn]!);
    const file = strings.intern(F.file[fn]!);
    taskFile[d] = file;
    taskLine[d] = F.line[fn]!;
    wantLine(sources, file, F.line[fn]!);
    taskKind[d] = strings.intern(F.kind[fn]!);
    const start = T.start[t]!;
    taskStart[d] = start;
    const end = Number.isNaN(T.end[t]!) ? Math.max(wall, start) : T.end[t]!;
    taskEnd[d] = Math.max(end, start);
    const outcome = T.outcome[t];
    taskOutcome[d] = outcome === MODEL_REJECTED ? OUTCOME_REJECTED : outcome === MODEL_FULFILLED ? OUTCOME_FULFILLED : OUTCOME_PENDING;
    if (outcome === MODEL_REJECTED) rejected++;
    else if (outcome === MODEL_FULFILLED) fulfilled++;
    else pending++;
    taskRun[d] = T.runMs[t]!;
    taskWait[d] = T.waitMs[t]!;
    taskSegOff[d] = seg;
    for (let s = T.segOff[t]!; s < T.segOff[t + 1]!; s++) {
      const sStart = S.start[s]!;
      const sEnd = Number.isFinite(S.end[s]!) ? S.end[s]! : taskEnd[d]!;
      segStart[seg] = sStart;
      segEnd[seg] = Math.max(sEnd, sStart);
      const line = S.line[s]!;
      segLine[seg] = line;
      if (S.kind[s] !== MODEL_RUN) {
        segKind[seg] = SEGMENT_WAIT;
        if (line !== lastWaitLine || file !== lastWaitFile) wantLine(sources, file, line);
        lastWaitLine = line;
        lastWaitFile = file;
      } else {
        segKind[seg] = SEGMENT_RUN;
        if (segEnd[seg]! > sStart) {
          const r = runs.count++;
          runs.start[r] = sStart;
          runs.end[r] = segEnd[seg]!;
          runs.task[r] = d;
          runs.depth[r] = tree.depth[d]!;
        }
      }
      seg++;
    }
  }
  taskSegOff[n] = seg;

  const loop = eventLoopLane(runs, arena);
  const groups = groupResources(R, n, (t) => tree.displayIndexOf[t]!, strings, arena);
  const conc = concurrencySweep(taskStart, taskEnd, 0, wall, arena);
  const lagTime = arena.f64(lagCount);
  lagTime.set(model.lag.times);
  // The program's lag (without the time waiting for a CPU, where the recorder sampled it).
  const lagValue = arena.f32(lagCount);
  lagValue.set(analysis.lag.values);

  const blocking: ViewBlocking[] = analysis.blocking.map((b) => {
    wantLine(sources, strings.intern(b.file), b.line);
    return {
      startMs: b.startMs,
      durationMs: b.durationMs,
      endMs: b.endMs,
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
  for (let r = 0; r < R.count; r++) resourceCounts.set(R.typeName(r), (resourceCounts.get(R.typeName(r)) ?? 0) + 1);
  let lagMax = 0;
  for (const v of analysis.lag.values) if (v > lagMax) lagMax = v;

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
        blockingThresholdMs: analysis.blockingThresholdMs,
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
        lag: analysis.lag.summary,
        lagMaxMs: lagMax,
        elu: analysis.elu,
        blocking: analysis.blocking.length,
        blockingMs: analysis.blocking.reduce((sum, b) => sum + b.durationMs, 0),
        resources: [...resourceCounts].sort((a, b) => b[1] - a[1]),
        loopBusyMs: loop.busyMs,
      },
      strings: strings.strings,
      blocking,
      errors: model.errors.slice(0, MAX_ERRORS),
      marks: model.marks.slice(0, MAX_MARKS),
      sources: sourceLines,
      analysis: options.analysis === false ? undefined : buildViewAnalysis(analysis, (t) => tree.displayIndexOf[t]!),
      handlers: analysis.handlers.slice(0, MAX_VIEW_HANDLERS),
      requests: analysis.requests.slice(0, MAX_VIEW_ROUTES),
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
