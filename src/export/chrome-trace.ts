// Chrome Trace Event JSON (Perfetto UI, chrome://tracing). Tasks overlap, so each is a nestable
// async slice (b/e, its own id) holding its run and wait segments as nested slices; blocking
// stretches are complete (X) slices on the main thread, which never overlap; the event loop's
// busy intervals are X slices on a track of their own; lag and tasks in flight are counters (C).
// Timestamps are microseconds from the script's start. Written in pieces, so a trace of a million
// tasks never becomes one giant string. Worker threads get tracks of their own in the process
// (the same three, named after the worker), Node child processes a process of their own each.
import { closeSync, openSync, writeSync } from 'node:fs';
import { isAwaitChain } from '../analysis/await-chain.js';
import { analysisOf } from '../analysis/pipeline.js';
import { OUTCOME_OF_CODE, SEGMENT_RUN, type TraceModel } from '../model/types.js';
import { buildViewModel } from '../view-model/build-view-model.js';

const PID = 1;
const MAIN_TID = 1;
const LOOP_TID = 2;
const MARKS_TID = 3;

/** Microseconds, rounded to the nanosecond. */
const us = (ms: number) => Math.round(ms * 1e6) / 1e3;

interface Sink {
  write(event: object): void;
}

function writer(fd: number): Sink & { finish(tail: string): void; count: number } {
  let buffer = '{"traceEvents":[\n';
  let first = true;
  const flush = () => {
    writeSync(fd, buffer);
    buffer = '';
  };
  const sink = {
    count: 0,
    write(event: object) {
      buffer += (first ? '' : ',\n') + JSON.stringify(event);
      first = false;
      sink.count++;
      if (buffer.length > 1 << 20) flush();
    },
    finish(tail: string) {
      buffer += `\n]${tail}}\n`;
      flush();
    },
  };
  return sink;
}

/** Where one thread's events go: its process, its first track id, how its tracks are named. */
interface Place {
  pid: number;
  /** Added to the track ids (MAIN_TID, LOOP_TID, MARKS_TID): each thread three tracks of its own. */
  tidBase: number;
  /** 'main thread' or 'worker N'. */
  thread: string;
  /** Set on a process's main thread: the process's name. */
  processName?: string;
}

/** Tracks per thread: a worker's are at threadId * TIDS_PER_THREAD. */
const TIDS_PER_THREAD = 10;

export function emitChromeEvents(model: TraceModel, sink: Sink): void {
  const workersOf = (process: TraceModel, pid: number) => {
    for (const worker of process.threads) emitThread(worker, sink, { pid, tidBase: worker.threadId * TIDS_PER_THREAD, thread: `worker ${worker.threadId}` });
  };
  emitThread(model, sink, { pid: PID, tidBase: 0, thread: 'main thread', processName: `async-prof: ${model.script}` });
  workersOf(model, PID);
  model.processes.forEach((child, k) => {
    const pid = PID + 1 + k;
    emitThread(child, sink, { pid, tidBase: 0, thread: 'main thread', processName: `child process ${child.pid}: ${[child.script, ...child.args].join(' ')}` });
    workersOf(child, pid);
  });
}

function emitThread(model: TraceModel, sink: Sink, place: Place): void {
  const { pid } = place;
  const MAIN = MAIN_TID + place.tidBase;
  const LOOP = LOOP_TID + place.tidBase;
  const MARKS = MARKS_TID + place.tidBase;
  const meta = (name: string, tid: number, args: object) => sink.write({ ph: 'M', name, pid, tid, ts: 0, args });
  if (place.processName !== undefined) meta('process_name', 0, { name: place.processName });
  // A process's main thread keeps the names of a trace without workers; counters are per process,
  // so a worker's carry its name.
  const of = place.tidBase === 0 ? '' : `${place.thread}: `;
  meta('thread_name', MAIN, { name: `${place.thread} (blocking, lag)` });
  meta('thread_name', LOOP, { name: `${of}event loop: task code running` });
  if (model.marks.length > 0) meta('thread_name', MARKS, { name: `${of}performance marks` });
  // Task ids are per thread: the async slices' ids are made unique in the process.
  const idBase = place.tidBase * 2 ** 32;

  // Tasks in start order, each with its segments nested inside.
  const T = model.columns.tasks;
  const S = model.columns.segments;
  const F = model.functions;
  const order = Array.from({ length: T.count }, (_, t) => t);
  let sorted = true;
  for (let k = 1; k < order.length && sorted; k++) sorted = T.start[k - 1]! <= T.start[k]!;
  if (!sorted) order.sort((a, b) => T.start[a]! - T.start[b]! || T.id[a]! - T.id[b]!);
  for (const t of order) {
    const fn = T.fn[t]!;
    const name = F.name[fn]! || '(anonymous)';
    const file = F.file[fn]!;
    const start = T.start[t]!;
    const end = Math.max(Number.isNaN(T.end[t]!) ? model.wallMs : T.end[t]!, start);
    const id = `0x${(idBase + T.id[t]!).toString(16)}`;
    const common = { cat: 'task', id, pid, tid: MAIN };
    const outcome = OUTCOME_OF_CODE[T.outcome[t]!];
    const parent = T.parent[t]!;
    sink.write({
      ...common,
      ph: 'b',
      name,
      ts: us(start),
      args: {
        location: `${file}:${F.line[fn]}`,
        file,
        line: F.line[fn],
        kind: F.kind[fn],
        outcome,
        taskId: T.id[t],
        parentId: parent >= 0 ? T.id[parent] : null,
        runMs: T.runMs[t],
        waitMs: T.waitMs[t],
      },
    });
    for (let s = T.segOff[t]!; s < T.segOff[t + 1]!; s++) {
      const sEnd = Math.min(Number.isFinite(S.end[s]!) ? S.end[s]! : end, end);
      const sStart = Math.max(S.start[s]!, start);
      if (!(sEnd > sStart)) continue;
      const run = S.kind[s] === SEGMENT_RUN;
      const segName = run ? 'run' : 'wait';
      sink.write({ ...common, ph: 'b', name: segName, ts: us(sStart), args: { [run ? 'line' : 'awaitAt']: `${file}:${S.line[s]}` } });
      sink.write({ ...common, ph: 'e', name: segName, ts: us(sEnd) });
    }
    sink.write({ ...common, ph: 'e', name, ts: us(end), args: { outcome } });
  }

  // Blocking stretches: one thread, one at a time; clipped so they never overlap.
  const blocking = [...analysisOf(model).blocking].sort((a, b) => a.startMs - b.startMs);
  for (let i = 0; i < blocking.length; i++) {
    const b = blocking[i]!;
    const next = blocking[i + 1];
    const dur = Math.max(0, Math.min(b.durationMs, next ? next.startMs - b.startMs : b.durationMs));
    sink.write({
      ph: 'X',
      cat: 'blocking',
      name: isAwaitChain(b) ? `blocking: ${b.awaitsResumed} awaits back to back` : `blocking: ${b.function || '(anonymous)'}`,
      pid,
      tid: MAIN,
      ts: us(b.startMs),
      dur: us(dur),
      args: {
        function: b.function,
        location: `${b.file}:${b.line}`,
        inside: b.inside ? `${b.inside.function} (${b.inside.file}:${b.inside.line})` : null,
        taskId: b.taskId,
        awaitsResumed: b.awaitsResumed,
        stack: b.stack.map((f) => `${f.function} (${f.file}:${f.line})`),
        samples: b.samples,
      },
    });
  }

  // The event loop running task code (disjoint intervals from the view model's lane).
  const view = buildViewModel(model, { sources: false });
  const { loopStart, loopEnd, loopOwner, loopTasks, taskId } = view.columns;
  for (let k = 0; k < loopStart.length; k++) {
    const owner = loopOwner[k]!;
    const ownerIndex = owner >= 0 ? T.indexOfId(taskId[owner]!) : -1;
    const ownerTask = ownerIndex >= 0 ? { name: F.name[T.fn[ownerIndex]!]!, file: F.file[T.fn[ownerIndex]!]!, line: F.line[T.fn[ownerIndex]!]! } : undefined;
    sink.write({
      ph: 'X',
      cat: 'event-loop',
      name: ownerTask ? ownerTask.name || '(anonymous)' : 'task code',
      pid,
      tid: LOOP,
      ts: us(loopStart[k]!),
      dur: us(loopEnd[k]! - loopStart[k]!),
      args: { tasks: loopTasks[k], mostly: ownerTask ? `${ownerTask.file}:${ownerTask.line}` : null },
    });
  }

  // Counters.
  const lag = analysisOf(model).lag.values;
  for (let i = 0; i < model.lag.times.length; i++) {
    sink.write({ ph: 'C', name: `${of}event-loop lag (ms)`, pid, tid: MAIN, ts: us(model.lag.times[i]!), args: { lag: lag[i] } });
  }
  const { concTime, concValue } = view.columns;
  for (let i = 0; i < concTime.length; i++) {
    sink.write({ ph: 'C', name: `${of}tasks in flight`, pid, tid: MAIN, ts: us(concTime[i]!), args: { tasks: concValue[i] } });
  }

  // User timing: marks as instants, measures as async slices (they may overlap).
  model.marks.forEach((m, i) => {
    if (m.kind === 'mark') sink.write({ ph: 'i', s: 't', cat: 'mark', name: m.name, pid, tid: MARKS, ts: us(m.startMs) });
    else {
      const common = { cat: 'measure', id: `0x${(idBase + i + 1).toString(16)}`, name: m.name, pid, tid: MARKS };
      sink.write({ ...common, ph: 'b', ts: us(m.startMs) });
      sink.write({ ...common, ph: 'e', ts: us(m.startMs + m.durationMs) });
    }
  });
}

export function exportChromeTrace(model: TraceModel, file: string): number {
  const fd = openSync(file, 'w');
  try {
    const sink = writer(fd);
    emitChromeEvents(model, sink);
    const other = {
      script: model.script,
      args: model.args,
      node: model.node,
      platform: model.platform,
      startEpochMs: model.startEpochMs,
      wallMs: model.wallMs,
      exitCode: model.exitCode,
      generator: 'async-prof',
    };
    sink.finish(`,"displayTimeUnit":"ms","otherData":${JSON.stringify(other)}`);
    return sink.count;
  } finally {
    closeSync(fd);
  }
}
