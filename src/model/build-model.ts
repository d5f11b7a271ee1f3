// Builds the TraceModel from a raw trace: one pass over the event chunks replays task, resource,
// lag and utilization events straight into columns (no object per event), then each task's
// segments and each resource's callbacks are brought together (each to its place, in one copy).
// Nothing is analysed here: src/analysis/ does that, with its own options.
import { EventType, FUNCTION_KINDS, RESOURCE_TYPES } from '../../instrument/protocol.js';
import type { RawTrace } from '../trace/read-trace.js';
import { f64, i32, u8 } from './growable.js';
import { objectView } from './object-view.js';
import { profileSamples } from './profile-samples.js';
import { relativeFile } from './relative-file.js';
import {
  OUTCOME_FULFILLED,
  OUTCOME_PENDING,
  OUTCOME_REJECTED,
  SEGMENT_RUN,
  SEGMENT_WAIT,
  type FunctionTable,
  type Mark,
  type ResourceColumns,
  type RunError,
  type SchedSeries,
  type SegmentColumns,
  type TaskColumns,
  type TraceModel,
} from './types.js';

/** The recorder's scheduler samples (record kind Sched), when the reader passes them on. */
export interface SchedRecord {
  tid: number;
  times: number[];
  runNs: number[];
  waitNs: number[];
}

const UNKNOWN_FUNCTION = { name: '<unknown>', file: '', line: 0, kind: 'function' };

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

export function buildModel(raw: RawTrace & { sched?: SchedRecord[] }): TraceModel {
  const { meta } = raw;
  // Time zero: the script's first line, not the profiler's own start-up.
  const origin = raw.scriptStartMs ?? meta.originMs;
  const functions = functionTable(raw);
  let totalEvents = 0;
  for (const chunk of raw.chunks) totalEvents += chunk.events.length >> 2;

  // Tasks, in the order they were created.
  const tId = i32();
  const tFn = i32();
  const tParent = i32();
  const tStart = f64();
  const tEnd = f64();
  const tStartSeq = i32();
  const tEndSeq = i32();
  const tOutcome = u8();
  /** The task's last segment (in event order), and its first. */
  const tLastSeg = i32();
  const tFirstSeg = i32();
  const endOrder = i32();
  /** Task id -> index + 1 (0: no such task). */
  const taskOfId = i32();
  // Segments, in the order of the events that opened them; grouped per task afterwards.
  const capacity = Math.max(16, totalEvents);
  const sStart = new Float64Array(capacity);
  const sEnd = new Float64Array(capacity);
  const sStartSeq = new Int32Array(capacity);
  const sEndSeq = new Int32Array(capacity);
  const sLine = new Int32Array(capacity);
  const sKind = new Uint8Array(capacity);
  const sNext = new Int32Array(capacity);
  let segCount = 0;
  // Resources and their callbacks (grouped per resource afterwards).
  const rId = i32();
  const rType = u8();
  const rTask = i32();
  const rCreated = f64();
  const rEnd = f64();
  const rFirstCb = i32();
  const rLastCb = i32();
  const resourceOfId = i32();
  const cbTime = f64();
  const cbNext = i32();
  const lagTimes = f64();
  const lagValues = f64();
  const times = f64(Math.min(capacity, 1 << 16));
  let lastTimeAdded = Number.NaN;
  const addTime = (at: number) => {
    if (at !== lastTimeAdded) {
      times.push(at);
      lastTimeAdded = at;
    }
  };
  let lastUtilization: number | null = null;
  let lastTime = 0;
  let seq = 0;

  const openSegment = (task: number, kind: number, at: number, line: number, s: number): void => {
    const g = segCount++;
    sStart[g] = at;
    sEnd[g] = Number.NaN;
    sStartSeq[g] = s;
    sEndSeq[g] = 0;
    sLine[g] = line;
    sKind[g] = kind;
    sNext[g] = -1;
    const last = tLastSeg.array[task]!;
    if (last >= 0) sNext[last] = g;
    else tFirstSeg.array[task] = g;
    tLastSeg.array[task] = g;
  };
  /** Closes the task's open segment (if any) at `at`; returns its index. */
  const closeSegment = (task: number, at: number, s: number): number => {
    const last = tLastSeg.array[task]!;
    if (last >= 0 && Number.isNaN(sEnd[last]!)) {
      const end = Math.max(at, sStart[last]!);
      sEnd[last] = end;
      sEndSeq[last] = s;
      addTime(end);
    }
    return last;
  };
  const startTask = (id: number, fnId: number, parentId: number, at: number, s: number): number => {
    const index = tId.length;
    const parentIndex = parentId > 0 && parentId < taskOfId.length ? taskOfId.array[parentId]! - 1 : -1;
    tId.push(id);
    tFn.push(fnId >= 0 && fnId < functions.name.length ? fnId : 0);
    tParent.push(parentIndex);
    tStart.push(at);
    tEnd.push(Number.NaN);
    tStartSeq.push(s);
    tEndSeq.push(-1);
    tOutcome.push(OUTCOME_PENDING);
    tLastSeg.push(-1);
    tFirstSeg.push(-1);
    if (id >= 0) {
      taskOfId.ensure(id);
      taskOfId.array[id] = index + 1;
    }
    return index;
  };
  const taskOf = (id: number): number => (id > 0 && id < taskOfId.length ? taskOfId.array[id]! - 1 : -1);
  const ended = (task: number) => !Number.isNaN(tEnd.array[task]!);

  // Events carry whole microseconds of one clock, and chunk bases lie on that clock's
  // microseconds too. Counted in whole microseconds from the first base, one clock reading gives
  // one time whichever chunk it is in; base + offset in floats differed in the last bits, which
  // put events of one tick out of order when sorted by time.
  const firstBase = raw.chunks[0]?.base ?? 0;
  const firstBaseMs = firstBase - origin;
  for (let c = 0; c < raw.chunks.length; c++) {
    const chunk = raw.chunks[c]!;
    const ev = chunk.events;
    const chunkUs = Math.round((chunk.base - firstBase) * 1000);
    for (let i = 0; i < ev.length; i += 4) {
      const word = ev[i]!;
      const type = word & 0xff;
      const x = word >>> 8;
      const a = ev[i + 1]!;
      const b = ev[i + 2]!;
      const at = firstBaseMs + (chunkUs + (ev[i + 3]! >>> 0)) / 1000;
      if (at > lastTime) lastTime = at;
      seq++;
      switch (type) {
        case EventType.TaskEnter: {
          const task = startTask(a, x, b, at, seq);
          openSegment(task, SEGMENT_RUN, at, functions.line[tFn.array[task]!]!, seq);
          addTime(at);
          break;
        }
        case EventType.TaskSyncFulfilled:
        case EventType.TaskSyncRejected: {
          const task = startTask(a, x, b, at, seq);
          openSegment(task, SEGMENT_RUN, at, functions.line[tFn.array[task]!]!, seq);
          sEnd[segCount - 1] = at;
          sEndSeq[segCount - 1] = seq;
          tEnd.array[task] = at;
          tEndSeq.array[task] = seq;
          tOutcome.array[task] = type === EventType.TaskSyncRejected ? OUTCOME_REJECTED : OUTCOME_FULFILLED;
          endOrder.push(task);
          addTime(at);
          break;
        }
        case EventType.TaskSuspend: {
          const task = taskOf(a);
          if (task < 0 || ended(task)) break;
          const last = tLastSeg.array[task]!;
          if (last >= 0 && sKind[last] === SEGMENT_WAIT && Number.isNaN(sEnd[last]!)) break;
          closeSegment(task, at, seq);
          openSegment(task, SEGMENT_WAIT, at, x, seq);
          addTime(at);
          break;
        }
        case EventType.TaskResume: {
          const task = taskOf(a);
          if (task < 0 || ended(task)) break;
          const last = closeSegment(task, at, seq);
          const line = last >= 0 && sKind[last] === SEGMENT_WAIT ? sLine[last]! : functions.line[tFn.array[task]!]!;
          openSegment(task, SEGMENT_RUN, at, line, seq);
          addTime(at);
          break;
        }
        case EventType.TaskExit: {
          const task = taskOf(a);
          if (task < 0 || ended(task)) break;
          closeSegment(task, at, seq);
          tEnd.array[task] = at;
          tEndSeq.array[task] = seq;
          tOutcome.array[task] = x === OUTCOME_REJECTED ? OUTCOME_REJECTED : x === OUTCOME_PENDING ? OUTCOME_PENDING : OUTCOME_FULFILLED;
          endOrder.push(task);
          break;
        }
        case EventType.ResourceCreate: {
          const owner = b > 0 ? taskOf(b) : -1;
          let r = a > 0 && a < resourceOfId.length ? resourceOfId.array[a]! - 1 : -1;
          if (r < 0) {
            r = rId.length;
            rId.push(a);
            rType.push(0);
            rTask.push(-1);
            rCreated.push(0);
            rEnd.push(Number.NaN);
            rFirstCb.push(-1);
            rLastCb.push(-1);
            if (a >= 0) {
              resourceOfId.ensure(a);
              resourceOfId.array[a] = r + 1;
            }
          }
          rType.array[r] = x < RESOURCE_TYPES.length ? x : 0;
          rTask.array[r] = owner;
          rCreated.array[r] = at;
          rEnd.array[r] = Number.NaN;
          addTime(at);
          break;
        }
        case EventType.ResourceCallback: {
          const r = a > 0 && a < resourceOfId.length ? resourceOfId.array[a]! - 1 : -1;
          if (r < 0) break;
          const k = cbTime.length;
          cbTime.push(at);
          cbNext.push(-1);
          const last = rLastCb.array[r]!;
          if (last >= 0) cbNext.array[last] = k;
          else rFirstCb.array[r] = k;
          rLastCb.array[r] = k;
          addTime(at);
          break;
        }
        case EventType.ResourceEnd: {
          const r = a > 0 && a < resourceOfId.length ? resourceOfId.array[a]! - 1 : -1;
          if (r >= 0 && Number.isNaN(rEnd.array[r]!)) rEnd.array[r] = at;
          break;
        }
        case EventType.Lag:
          lagTimes.push(at);
          lagValues.push(a / 1000);
          addTime(at);
          break;
        case EventType.Utilization:
          lastUtilization = a / 1e6;
          break;
      }
    }
  }

  // The CLI's epilogue holds the exit code the process really ended with (seal-trace.ts).
  const end = raw.epilogue ?? raw.end;
  const wallMs = Math.max(lastTime, raw.end?.endMs !== undefined ? raw.end.endMs - origin : 0);
  const taskCount = tId.length;

  // Segments still open (tasks pending at the end) end with the run.
  for (let t = 0; t < taskCount; t++) {
    const last = tLastSeg.array[t]!;
    if (last >= 0 && Number.isNaN(sEnd[last]!)) {
      sEnd[last] = Math.max(wallMs, sStart[last]!);
      sEndSeq[last] = seq + 1;
      addTime(sEnd[last]!);
    }
  }

  // Each task's segments together, in their order. The event chunks are all read: let them go
  // before the segments are copied into place (the caller's raw trace keeps no events).
  raw.chunks.length = 0;
  const segOff = new Int32Array(taskCount + 1);
  const to = destinations(sNext, tFirstSeg.array, taskCount, segOff);
  const segments: SegmentColumns = {
    count: segCount,
    start: scatter(sStart, to, segCount),
    end: scatter(sEnd, to, segCount),
    startSeq: scatter(sStartSeq, to, segCount),
    endSeq: scatter(sEndSeq, to, segCount),
    line: scatter(sLine, to, segCount),
    kind: scatter(sKind, to, segCount),
  };
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

  const parent = tParent.finish();
  const childOff = new Int32Array(taskCount + 1);
  for (let t = 0; t < taskCount; t++) if (parent[t]! >= 0) childOff[parent[t]! + 1]!++;
  for (let t = 0; t < taskCount; t++) childOff[t + 1]! += childOff[t]!;
  const children = new Int32Array(childOff[taskCount]!);
  {
    const fill = childOff.slice(0, taskCount);
    for (let t = 0; t < taskCount; t++) if (parent[t]! >= 0) children[fill[parent[t]!]!++] = t;
  }

  const resourceCount = rId.length;
  const rTaskFinal = rTask.finish();
  const resOff = new Int32Array(taskCount + 1);
  for (let r = 0; r < resourceCount; r++) if (rTaskFinal[r]! >= 0) resOff[rTaskFinal[r]! + 1]!++;
  for (let t = 0; t < taskCount; t++) resOff[t + 1]! += resOff[t]!;
  const taskResources = new Int32Array(resOff[taskCount]!);
  {
    const fill = resOff.slice(0, taskCount);
    for (let r = 0; r < resourceCount; r++) if (rTaskFinal[r]! >= 0) taskResources[fill[rTaskFinal[r]!]!++] = r;
  }

  const cbOff = new Int32Array(resourceCount + 1);
  const callbacks = scatter(cbTime.array, destinations(cbNext.array, rFirstCb.array, resourceCount, cbOff), cbTime.length);

  const idIndex = taskOfId.finish();
  const tasks: TaskColumns = {
    count: taskCount,
    id: tId.finish(),
    fn: tFn.finish(),
    parent,
    start: tStart.finish(),
    end: tEnd.finish(),
    startSeq: tStartSeq.finish(),
    endSeq: tEndSeq.finish(),
    outcome: tOutcome.finish(),
    runMs,
    waitMs,
    segOff,
    childOff,
    children,
    resOff,
    resources: taskResources,
    endOrder: endOrder.finish(),
    indexOfId: (id) => (id > 0 && id < idIndex.length ? idIndex[id]! - 1 : -1),
  };
  const resourceIdIndex = resourceOfId.finish();
  const resources: ResourceColumns = {
    count: resourceCount,
    id: rId.finish(),
    type: rType.finish(),
    task: rTaskFinal,
    created: rCreated.finish(),
    end: rEnd.finish(),
    cbOff,
    callbacks,
    typeName: (r) => RESOURCE_TYPES[resources.type[r]!] ?? 'unknown',
    indexOfId: (id) => (id > 0 && id < resourceIdIndex.length ? resourceIdIndex[id]! - 1 : -1),
  };

  const eventTimes = times.finish();
  if (!isSorted(eventTimes)) eventTimes.sort();

  const errors: RunError[] = raw.errors.map((e) => ({
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

  const warnings = [...raw.warnings];
  if (meta.samplingIntervalUs === 0) {
    warnings.push('blocking stretches were not measured: the sampling profiler was off (--sampling-interval 0); lag still shows how late the loop was');
  }

  const model: Omit<TraceModel, 'tasks' | 'taskById' | 'resources'> = {
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
    complete: raw.end !== null,
    wallMs,
    eventCount: seq,
    functions,
    columns: { tasks, segments, resources, samples },
    lag: { times: lagTimes.finish(), values: lagValues.finish() },
    sched: schedSeries(raw.sched ?? [], origin),
    recordedElu: raw.end?.elu ?? lastUtilization,
    eventTimes,
    functionRanges: functionRanges(raw),
    errors,
    marks,
    dropped: raw.end?.dropped ?? 0,
    warnings,
  };
  return objectView(model);
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
