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
import { messageLinks, type MessageEnd } from '../model/message-links.js';
import { buildViewModel } from '../view-model/build-view-model.js';

const PID = 1;
const MAIN_TID = 1;
const LOOP_TID = 2;
const MARKS_TID = 3;
const MESSAGES_TID = 4;

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
  /** The thread among all of the run's: 'main thread', 'worker 3', 'child 4242', 'child 4242 worker 2'. */
  label: string;
}

/** Tracks per thread: a worker's are at threadId * TIDS_PER_THREAD. */
const TIDS_PER_THREAD = 10;

export function emitChromeEvents(model: TraceModel, sink: Sink): void {
  const places = new Map<TraceModel, Place>();
  const emit = (thread: TraceModel, place: Place) => {
    places.set(thread, place);
    emitThread(thread, sink, place);
  };
  const workersOf = (process: TraceModel, pid: number) => {
    const of = process === model ? '' : `child ${process.pid} `;
    for (const worker of process.threads) emit(worker, { pid, tidBase: worker.threadId * TIDS_PER_THREAD, thread: `worker ${worker.threadId}`, label: `${of}worker ${worker.threadId}` });
  };
  emit(model, { pid: PID, tidBase: 0, thread: 'main thread', label: 'main thread', processName: `async-prof: ${model.script}` });
  workersOf(model, PID);
  model.processes.forEach((child, k) => {
    const pid = PID + 1 + k;
    emit(child, { pid, tidBase: 0, thread: 'main thread', label: `child ${child.pid}`, processName: `child process ${child.pid}: ${[child.script, ...child.args].join(' ')}` });
    workersOf(child, pid);
  });
  emitMessages(model, sink, places);
}

/**
 * Each message between threads and processes: an instant slice on the sender's and on the
 * receiver's messages track, joined by a flow (the arrow in Perfetto and chrome://tracing).
 */
function emitMessages(main: TraceModel, sink: Sink, places: Map<TraceModel, Place>): void {
  const named = new Set<Place>();
  const slice = (end: MessageEnd, name: string, flow: { id: number; ph: 's' | 'f' }) => {
    const place = places.get(end.model);
    if (place === undefined) return;
    const tid = MESSAGES_TID + place.tidBase;
    if (!named.has(place)) {
      named.add(place);
      sink.write({ ph: 'M', name: 'thread_name', pid: place.pid, tid, ts: 0, args: { name: `${place.tidBase === 0 ? '' : `${place.thread}: `}messages` } });
    }
    const M = end.model.columns.messages;
    const T = end.model.columns.tasks;
    const F = end.model.functions;
    const task = M.task[end.message]!;
    const ts = us(M.at[end.message]!);
    const args = { task: task >= 0 ? `${F.name[T.fn[task]!] || '(anonymous)'} (${F.file[T.fn[task]!]}:${F.line[T.fn[task]!]})` : null, number: M.seq[end.message] };
    sink.write({ ph: 'X', cat: 'message', name, pid: place.pid, tid, ts, dur: 0, args });
    sink.write({ ph: flow.ph, cat: 'message', name: 'message', id: flow.id, pid: place.pid, tid, ts, ...(flow.ph === 'f' ? { bp: 'e' } : {}) });
  };
  let id = 0;
  for (const link of messageLinks(main)) {
    if (link.to === null) continue;
    id++;
    const to = places.get(link.to.model)?.label ?? '?';
    const from = places.get(link.from.model)?.label ?? '?';
    slice(link.from, link.start ? `start ${to}` : `send to ${to}`, { id, ph: 's' });
    slice(link.to, link.start ? `started by ${from}` : `receive from ${from}`, { id, ph: 'f' });
  }
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
    const dur = Math.max(0, Math.min(b.endMs, next ? next.startMs : b.endMs) - b.startMs);
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
        programMs: b.durationMs,
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
