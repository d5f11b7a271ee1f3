// Builds the TraceModel from a raw trace: replays task and resource events, then runs the
// analyses that need the whole run (blocking stretches, lag percentiles).
import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventType, FUNCTION_KINDS, OUTCOME_NAMES, RESOURCE_TYPES } from '../../contract/index.js';
import { findBlocking } from '../analysis/blocking.js';
import { summarizeLag } from '../analysis/lag.js';
import { utilizationFromSamples } from '../analysis/utilization.js';
import type { RawTrace } from '../trace/read-trace.js';
import { noTasksWarning } from './no-tasks-warning.js';
import type { Mark, Resource, RunError, Segment, Task, TraceModel } from './types.js';

interface FunctionInfo {
  name: string;
  file: string;
  line: number;
  kind: string;
}

const UNKNOWN_FUNCTION: FunctionInfo = { name: '<unknown>', file: '', line: 0, kind: 'function' };

/** Absolute paths and file: URLs become paths relative to the run's directory. */
export function relativeFile(cwd: string, file: string): string {
  let path = file;
  if (path.startsWith('file://')) {
    try {
      path = fileURLToPath(path);
    } catch {
      return file;
    }
  }
  if (!isAbsolute(path)) return path;
  const rel = relative(cwd, path);
  return rel.startsWith('..') && rel.split('/').filter((p) => p === '..').length > 3 ? path : rel;
}

export function buildModel(raw: RawTrace): TraceModel {
  const { meta } = raw;
  // Time zero: the script's first line, not the profiler's own start-up.
  const origin = raw.scriptStartMs ?? meta.originMs;
  const functions: FunctionInfo[] = [UNKNOWN_FUNCTION];
  for (const mod of raw.modules) {
    const file = relativeFile(meta.cwd, mod.file);
    for (let i = 0; i < mod.functions.length; i += 3) {
      functions[mod.firstId + i / 3] = {
        name: String(mod.functions[i]),
        file,
        line: Number(mod.functions[i + 1]),
        kind: FUNCTION_KINDS[Number(mod.functions[i + 2])] ?? 'function',
      };
    }
  }

  const taskById: (Task | undefined)[] = [undefined];
  const tasks: Task[] = [];
  const resourceById = new Map<number, Resource>();
  const lagTimes: number[] = [];
  const lagValues: number[] = [];
  let lastUtilization: number | null = null;
  let lastTime = 0;

  const startTask = (id: number, fnId: number, parentId: number, at: number, seq: number): Task => {
    const fn = functions[fnId] ?? UNKNOWN_FUNCTION;
    const parent = parentId > 0 ? taskById[parentId] : undefined;
    const task: Task = {
      id,
      parentId: parent ? parentId : null,
      name: fn.name,
      file: fn.file,
      line: fn.line,
      kind: fn.kind,
      startMs: at,
      endMs: null,
      startSeq: seq,
      endSeq: null,
      outcome: 'pending',
      runMs: 0,
      waitMs: 0,
      segments: [],
      children: [],
      resources: [],
    };
    taskById[id] = task;
    tasks.push(task);
    parent?.children.push(id);
    return task;
  };
  const openSegment = (task: Task, kind: Segment['kind'], at: number, line: number, seq: number) => {
    task.segments.push({ kind, startMs: at, endMs: Number.NaN, line, startSeq: seq });
  };
  const closeSegment = (task: Task, at: number, seq: number): Segment | undefined => {
    const last = task.segments[task.segments.length - 1];
    if (last && Number.isNaN(last.endMs)) {
      last.endMs = Math.max(at, last.startMs);
      last.endSeq = seq;
    }
    return last;
  };
  // The order of each event in the whole trace.
  let seq = 0;

  // Events carry whole microseconds of one clock, and chunk bases lie on that clock's
  // microseconds too. Counted in whole microseconds from the first base, one clock reading gives
  // one time whichever chunk it is in; base + offset in floats differed in the last bits, which
  // put events of one tick out of order when sorted by time.
  const firstBase = raw.chunks[0]?.base ?? 0;
  const firstBaseMs = firstBase - origin;
  for (const chunk of raw.chunks) {
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
          openSegment(task, 'run', at, task.line, seq);
          break;
        }
        case EventType.TaskSyncFulfilled:
        case EventType.TaskSyncRejected: {
          const task = startTask(a, x, b, at, seq);
          task.segments.push({ kind: 'run', startMs: at, endMs: at, line: task.line, startSeq: seq, endSeq: seq });
          task.endMs = at;
          task.endSeq = seq;
          task.outcome = type === EventType.TaskSyncRejected ? 'rejected' : 'fulfilled';
          break;
        }
        case EventType.TaskSuspend: {
          const task = taskById[a];
          if (!task || task.endMs !== null) break;
          const last = task.segments[task.segments.length - 1];
          if (last?.kind === 'wait' && Number.isNaN(last.endMs)) break;
          closeSegment(task, at, seq);
          openSegment(task, 'wait', at, x, seq);
          break;
        }
        case EventType.TaskResume: {
          const task = taskById[a];
          if (!task || task.endMs !== null) break;
          const last = closeSegment(task, at, seq);
          openSegment(task, 'run', at, last?.kind === 'wait' ? last.line : task.line, seq);
          break;
        }
        case EventType.TaskExit: {
          const task = taskById[a];
          if (!task || task.endMs !== null) break;
          closeSegment(task, at, seq);
          task.endMs = at;
          task.endSeq = seq;
          task.outcome = OUTCOME_NAMES[x] ?? 'fulfilled';
          break;
        }
        case EventType.ResourceCreate: {
          const owner = b > 0 ? taskById[b] : undefined;
          const resource: Resource = {
            id: a,
            type: RESOURCE_TYPES[x] ?? 'unknown',
            taskId: owner ? b : null,
            createdMs: at,
            callbacksMs: [],
            endMs: null,
          };
          resourceById.set(a, resource);
          owner?.resources.push(a);
          break;
        }
        case EventType.ResourceCallback:
          resourceById.get(a)?.callbacksMs.push(at);
          break;
        case EventType.ResourceEnd: {
          const resource = resourceById.get(a);
          if (resource && resource.endMs === null) resource.endMs = at;
          break;
        }
        case EventType.Lag:
          lagTimes.push(at);
          lagValues.push(a / 1000);
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
  for (const task of tasks) {
    for (const segment of task.segments) {
      if (Number.isNaN(segment.endMs)) {
        segment.endMs = Math.max(wallMs, segment.startMs);
        segment.endSeq = seq + 1;
      }
      const length = segment.endMs - segment.startMs;
      if (segment.kind === 'run') task.runMs += length;
      else task.waitMs += length;
    }
  }

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

  const model: TraceModel = {
    tracePath: raw.path,
    script: relativeFile(meta.cwd, meta.script),
    args: meta.args,
    cwd: meta.cwd,
    node: meta.node,
    platform: meta.platform,
    startEpochMs: meta.startEpochMs,
    blockingThresholdMs: meta.blockingThresholdMs,
    samplingIntervalUs: meta.samplingIntervalUs,
    exitCode: end?.exitCode ?? null,
    signal: end?.signal ?? null,
    // A script stopped by a signal is recorded up to its last milliseconds (read-trace.ts).
    complete: raw.end !== null || ['SIGINT', 'SIGTERM', 'SIGHUP'].includes(raw.epilogue?.signal ?? ''),
    wallMs,
    tasks,
    taskById,
    resources: [...resourceById.values()],
    lag: { times: lagTimes, values: lagValues },
    lagSummary: summarizeLag(lagValues),
    elu: utilizationFromSamples(raw) ?? raw.end?.elu ?? lastUtilization,
    blocking: [],
    offCpu: [],
    errors,
    marks,
    dropped: raw.end?.dropped ?? 0,
    warnings: [...raw.warnings, ...profilerWarnings.map((w) => w.message)],
  };
  if (meta.samplingIntervalUs === 0) {
    model.warnings.push('blocking stretches were not measured: the sampling profiler was off (--sampling-interval 0); lag still shows how late the loop was');
  }
  const noTasks = noTasksWarning(raw, model.tasks.length);
  if (noTasks !== null) model.warnings.push(noTasks);
  const { blocking, offCpu } = findBlocking(raw, model);
  model.blocking = blocking;
  model.offCpu = offCpu;
  if (offCpu.length > 0) {
    const total = offCpu.reduce((sum, o) => sum + o.durationMs - o.cpuMs, 0);
    model.warnings.push(
      `the process was off the CPU for ${Math.round(total)} ms in ${offCpu.length} stretch${offCpu.length > 1 ? 'es' : ''} (a loaded machine or a stop signal): not counted as blocking; lag and durations around ${offCpu.length > 1 ? 'them' : 'it'} include that time`,
    );
  }
  return model;
}
