// Builds the TraceModel from a raw trace: one pass over the event chunks (replay.ts) replays task,
// resource, lag and utilization events straight into columns (no object per event), then each
// task's segments and each resource's callbacks are brought together (each to its place, in one
// copy). Consumes raw.chunks (emptied once read). Nothing is analysed here: src/analysis/ does
// that, with its own options.
import { FUNCTION_KINDS, RESOURCE_TYPES } from '../../contract/index.js';
import { STOP_SIGNALS } from '../trace/raw-trace.js';
import type { EventChunk, RawTrace, SchedRecord } from '../trace/read-trace.js';
import { f64 } from './growable.js';
import { noTasksWarning } from './no-tasks-warning.js';
import { objectView } from './object-view.js';
import { profileSamples } from './profile-samples.js';
import { relativeFile } from './relative-file.js';
import { unionBySweep } from './interval-union.js';
import { timeZeroOf } from './thread-origin.js';
import { Replay, replaySizes } from './replay.js';
import {
  SEGMENT_RUN,
  type FunctionTable,
  type Mark,
  type ResourceColumns,
  type RunError,
  type SchedSeries,
  type SegmentColumns,
  type TaskColumns,
  type TraceModel,
} from './types.js';

export type { SchedRecord } from '../trace/read-trace.js';

const UNKNOWN_FUNCTION = { name: '<unknown>', file: '', line: 0, kind: 'function' };
const EMPTY_F64 = new Float64Array(0);
const EMPTY_I32 = new Int32Array(0);
const EMPTY_U8 = new Uint8Array(0);

function functionTable(raw: RawTrace): FunctionTable {
  const table: FunctionTable = { name: [UNKNOWN_FUNCTION.name], file: [''], line: [0], kind: [UNKNOWN_FUNCTION.kind] };
  for (const mod of raw.modules) {
    const file = relativeFile(raw.meta.cwd, mod.file);
    for (let i = 0; i < mod.functions.length; i += 3) {
      const id = mod.firstId + i / 3;
      table.name[id] = String(mod.functions[i]);
      table.file[id] = file;
      table.line[id] = Number(mod.functions[i + 1]);
      table.kind[id] = FUNCTION_KINDS[Number(mod.functions[i + 2])] ?? 'function';
    }
  }
  // Ids no module declared read as unknown.
  for (let id = 0; id < table.name.length; id++) {
    if (table.name[id] === undefined) {
      table.name[id] = UNKNOWN_FUNCTION.name;
      table.file[id] = UNKNOWN_FUNCTION.file;
      table.line[id] = UNKNOWN_FUNCTION.line;
      table.kind[id] = UNKNOWN_FUNCTION.kind;
    }
  }
  return table;
}

/** Route names by id from the Routes records ('' where none was written). */
function routeNames(raw: RawTrace): string[] {
  const names: string[] = [''];
  for (const record of raw.routes ?? []) {
    for (let i = 0; i < record.names.length; i++) names[record.firstId + i] = record.names[i]!;
  }
  for (let id = 0; id < names.length; id++) names[id] ??= '';
  return names;
}

/** file (absolute, as the modules name it) -> [start line -> end line] of every function, from the transform. */
function functionRanges(raw: RawTrace): Map<string, Map<number, number>> {
  const result = new Map<string, Map<number, number>>();
  for (const mod of raw.modules) {
    const byStart = new Map<number, number>();
    for (let i = 0; i < mod.ranges.length; i += 2) {
      const start = mod.ranges[i]!;
      byStart.set(start, Math.max(byStart.get(start) ?? 0, mod.ranges[i + 1]!));
    }
    result.set(mod.file, byStart);
  }
  return result;
}

/**
 * Where each element goes so that the elements of each owner are together, in their original
 * order: `link` holds, per element, the next element of the same owner (-1: last), and `first`
 * the first element of each owner. Fills `offsets` (owners + 1) and returns the destination of
 * each element (in `link`'s own memory).
 */
function destinations(link: Int32Array, first: Int32Array, owners: number, offsets: Int32Array): Int32Array {
  let position = 0;
  for (let o = 0; o < owners; o++) {
    offsets[o] = position;
    for (let g = first[o]!; g >= 0; ) {
      const next = link[g]!;
      link[g] = position++;
      g = next;
    }
  }
  offsets[owners] = position;
  return link;
}

/** A copy of column[0..n) with element i moved to destination[i]. */
function scatter<T extends Float64Array | Int32Array | Uint8Array>(column: T, destination: Int32Array, n: number): T {
  const out = new (column.constructor as new (length: number) => T)(n);
  for (let i = 0; i < n; i++) out[destination[i]!] = column[i]!;
  return out;
}

export interface BuildOptions {
  /**
   * Time zero on this trace's performance.now() clock. A worker thread's model takes the main
   * thread's (threadOrigin): every thread's times are then on one axis.
   */
  originMs?: number;
}

export function buildModel(raw: RawTrace, options: BuildOptions = {}): TraceModel {
  const { meta } = raw;
  const origin = options.originMs ?? timeZeroOf(raw);
  const functions = functionTable(raw);
  const replay = new Replay(replaySizes(raw.chunks), functions.line);

  // Events carry whole microseconds of one clock, and chunk bases lie on that clock's
  // microseconds too. Counted in whole microseconds from the first base, one clock reading gives
  // one time whichever chunk it is in; base + offset in floats differed in the last bits, which
  // put events of one tick out of order when sorted by time.
  const firstBase = raw.chunks[0]?.base ?? 0;
  const firstBaseMs = firstBase - origin;
  // Each chunk is let go once replayed (the caller's raw trace keeps no events), so the columns
  // grow as the events they come from are released.
  const chunks: (EventChunk | undefined)[] = raw.chunks.splice(0);
  for (let c = 0; c < chunks.length; c++) {
    const chunk = chunks[c]!;
    chunks[c] = undefined;
    replay.chunk(chunk.events, Math.round((chunk.base - firstBase) * 1000), firstBaseMs);
  }

  // The CLI's epilogue holds the exit code the process really ended with (seal-trace.ts).
  const end = raw.epilogue ?? raw.end;
  const wallMs = Math.max(replay.lastTime, raw.end?.endMs !== undefined ? raw.end.endMs - origin : 0);
  replay.closeOpenSegments(wallMs);
  const taskCount = replay.taskCount;
  const segCount = replay.segCount;

  // Each task's segments together, in their order: one column at a time, each let go once
  // copied, so that at most one column is held twice.
  const segOff = new Int32Array(taskCount + 1);
  const to = destinations(replay.sNext, replay.tFirstSeg, taskCount, segOff);
  const segStartColumn = scatter(replay.sStart, to, segCount);
  replay.sStart = EMPTY_F64;
  const segEndColumn = scatter(replay.sEnd, to, segCount);
  replay.sEnd = EMPTY_F64;
  const startSeq = scatter(replay.sStartSeq, to, segCount);
  replay.sStartSeq = EMPTY_I32;
  const endSeq = scatter(replay.sEndSeq, to, segCount);
  replay.sEndSeq = EMPTY_I32;
  const line = scatter(replay.sLine, to, segCount);
  replay.sLine = EMPTY_I32;
  const kind = scatter(replay.sKind, to, segCount);
  replay.sKind = EMPTY_U8;
  replay.sNext = EMPTY_I32;
  const segments: SegmentColumns = { count: segCount, start: segStartColumn, end: segEndColumn, startSeq, endSeq, line, kind };
  const { start: segStart, end: segEnd, kind: segKind } = segments;
  const runMs = new Float64Array(taskCount);
  const waitMs = new Float64Array(taskCount);
  for (let t = 0; t < taskCount; t++) {
    let run = 0;
    let wait = 0;
    for (let s = segOff[t]!; s < segOff[t + 1]!; s++) {
      const length = segEnd[s]! - segStart[s]!;
      if (segKind[s] === SEGMENT_RUN) run += length;
      else wait += length;
    }
    runMs[t] = run;
    waitMs[t] = wait;
  }

  const parent = replay.tParent.slice(0, taskCount);
  const childOff = new Int32Array(taskCount + 1);
  for (let t = 0; t < taskCount; t++) if (parent[t]! >= 0) childOff[parent[t]! + 1]!++;
  for (let t = 0; t < taskCount; t++) childOff[t + 1]! += childOff[t]!;
  const children = new Int32Array(childOff[taskCount]!);
  {
    const fill = childOff.slice(0, taskCount);
    for (let t = 0; t < taskCount; t++) if (parent[t]! >= 0) children[fill[parent[t]!]!++] = t;
  }

  const resourceCount = replay.resourceCount;
  const rTask = replay.rTask.slice(0, resourceCount);
  const resOff = new Int32Array(taskCount + 1);
  for (let r = 0; r < resourceCount; r++) if (rTask[r]! >= 0) resOff[rTask[r]! + 1]!++;
  for (let t = 0; t < taskCount; t++) resOff[t + 1]! += resOff[t]!;
  const taskResources = new Int32Array(resOff[taskCount]!);
  {
    const fill = resOff.slice(0, taskCount);
    for (let r = 0; r < resourceCount; r++) if (rTask[r]! >= 0) taskResources[fill[rTask[r]!]!++] = r;
  }

  const cbOff = new Int32Array(resourceCount + 1);
  const callbacks = scatter(replay.cbTime, destinations(replay.cbNext, replay.rFirstCb, resourceCount, cbOff), replay.cbCount);

  const idIndex = replay.taskOfId;
  const tasks: TaskColumns = {
    count: taskCount,
    id: replay.tId.slice(0, taskCount),
    fn: replay.tFn.slice(0, taskCount),
    parent,
    start: replay.tStart.slice(0, taskCount),
    end: replay.tEnd.slice(0, taskCount),
    startSeq: replay.tStartSeq.slice(0, taskCount),
    endSeq: replay.tEndSeq.slice(0, taskCount),
    outcome: replay.tOutcome.slice(0, taskCount),
    runMs,
    waitMs,
    segOff,
    childOff,
    children,
    resOff,
    resources: taskResources,
    endOrder: replay.endOrder.slice(0, replay.endCount),
    request: replay.tRequest.slice(0, taskCount),
    indexOfId: (id) => (id > 0 && id < idIndex.length ? idIndex[id]! - 1 : -1),
  };
  const resourceIdIndex = replay.resourceOfId;
  const resources: ResourceColumns = {
    count: resourceCount,
    id: replay.rId.slice(0, resourceCount),
    type: replay.rType.slice(0, resourceCount),
    task: rTask,
    created: replay.rCreated.slice(0, resourceCount),
    end: replay.rEnd.slice(0, resourceCount),
    cbOff,
    callbacks,
    route: replay.rRoute.slice(0, resourceCount),
    typeName: (r) => RESOURCE_TYPES[resources.type[r]!] ?? 'unknown',
    indexOfId: (id) => (id > 0 && id < resourceIdIndex.length ? resourceIdIndex[id]! - 1 : -1),
  };

  const eventTimes = replay.times.slice(0, replay.timeCount);
  if (!isSorted(eventTimes)) eventTimes.sort();

  // The profiler's own warnings (a file it could not instrument...) are warnings, not the run's errors.
  const profilerWarnings = raw.errors.filter((e) => e.origin === 'async-prof' && e.name === 'Warning');
  const errors: RunError[] = raw.errors.filter((e) => !profilerWarnings.includes(e)).map((e) => ({
    origin: e.origin,
    atMs: e.atMs !== undefined ? e.atMs - origin : null,
    name: e.name ?? 'Error',
    message: e.message,
    stack: e.stack ?? null,
  }));
  const marks: Mark[] = raw.marks.flatMap((record) =>
    record.entries.map((entry) => ({
      name: entry.name,
      kind: entry.entryType,
      startMs: entry.startTime - origin,
      durationMs: entry.duration,
    })),
  );
  const v8ZeroMs = meta.hrOriginMs + origin;
  const samples = profileSamples(raw.profiles, { toModelMs: (us) => us / 1000 - meta.hrOriginMs - origin }, v8ZeroMs);

  const warnings = [...raw.warnings, ...profilerWarnings.map((w) => w.message)];
  if (meta.samplingIntervalUs === 0) {
    warnings.push('blocking stretches were not measured: the sampling profiler was off (--sampling-interval 0); lag still shows how late the loop was');
  }
  // A program that is not Node ran no code of ours: no tasks is all there is to know.
  const noTasks = meta.notNode === true ? null : noTasksWarning(raw, tasks.count);
  if (noTasks !== null) warnings.push(noTasks);

  return objectView({
    tracePath: raw.path,
    script: relativeFile(meta.cwd, meta.script),
    args: meta.args,
    cwd: meta.cwd,
    node: meta.node,
    platform: meta.platform,
    startEpochMs: meta.startEpochMs,
    recordedBlockingThresholdMs: meta.blockingThresholdMs,
    samplingIntervalUs: meta.samplingIntervalUs,
    lagIntervalMs: meta.lagIntervalMs,
    profilerDir: meta.profilerDir ?? '',
    exitCode: end?.exitCode ?? null,
    signal: end?.signal ?? null,
    // A script stopped by a signal is recorded up to its last milliseconds (read-trace.ts).
    complete: raw.end !== null || STOP_SIGNALS.has(raw.epilogue?.signal ?? ''),
    wallMs,
    eventCount: replay.seq,
    functions,
    routeNames: routeNames(raw),
    columns: { tasks, segments, resources, samples, messages: replay.messages.columns() },
    lag: { times: replay.lagTimes.slice(0, replay.lagCount), values: replay.lagValues.slice(0, replay.lagCount) },
    sched: schedSeries(raw.sched ?? [], origin),
    recordedElu: raw.end?.elu ?? replay.lastUtilization,
    eventTimes,
    runningIntervals: replay.timesInOrder ? replay.busy.slice(0, replay.busyCount) : unionOfRuns(segments),
    functionRanges: functionRanges(raw),
    errors,
    marks,
    dropped: raw.end?.dropped ?? 0,
    warnings,
    threadId: meta.threadId ?? 0,
    pid: meta.pid,
    notNode: meta.notNode === true,
    ownZeroMs: timeZeroOf(raw) - origin,
    threads: [],
    processes: [],
  });
}

/**
 * The union of the run segments of positive length (touching ones merged), by sorting their
 * starts and ends: for the rare trace whose clock went back (the replay finds it on the way otherwise).
 */
function unionOfRuns(S: SegmentColumns): Float64Array {
  let count = 0;
  for (let s = 0; s < S.count; s++) if (S.kind[s] === SEGMENT_RUN && S.end[s]! > S.start[s]!) count++;
  const starts = new Float64Array(count);
  const ends = new Float64Array(count);
  let k = 0;
  for (let s = 0; s < S.count; s++) {
    if (S.kind[s] === SEGMENT_RUN && S.end[s]! > S.start[s]!) {
      starts[k] = S.start[s]!;
      ends[k++] = S.end[s]!;
    }
  }
  return unionBySweep(starts.sort(), ends.sort());
}

function isSorted(values: Float64Array): boolean {
  for (let i = 1; i < values.length; i++) if (values[i]! < values[i - 1]!) return false;
  return true;
}

/** The scheduler samples of the main thread, in time order, on the model's clock. */
function schedSeries(records: readonly SchedRecord[], origin: number): SchedSeries {
  const times = f64();
  const runNs = f64();
  const waitNs = f64();
  let last = Number.NEGATIVE_INFINITY;
  for (const record of records) {
    const n = Math.min(record.times.length, record.runNs.length, record.waitNs.length);
    for (let i = 0; i < n; i++) {
      const at = record.times[i]! - origin;
      // In time order only: a sample out of order (a record written late) adds nothing.
      if (!(at > last)) continue;
      last = at;
      times.push(at);
      runNs.push(record.runNs[i]!);
      waitNs.push(record.waitNs[i]!);
    }
  }
  return { times: times.finish(), runNs: runNs.finish(), waitNs: waitNs.finish() };
}
