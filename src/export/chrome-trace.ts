// Chrome Trace Event JSON (Perfetto UI, chrome://tracing). Tasks overlap, so each is a nestable
// async slice (b/e, its own id) holding its run and wait segments as nested slices; blocking
// stretches are complete (X) slices on the main thread, which never overlap; the event loop's
// busy intervals are X slices on a track of their own; lag and tasks in flight are counters (C).
// Timestamps are microseconds from the script's start. Written in pieces, so a trace of a million
// tasks never becomes one giant string.
import { closeSync, openSync, writeSync } from 'node:fs';
import { isAwaitChain } from '../analysis/await-chain.js';
import type { TraceModel } from '../model/types.js';
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

export function emitChromeEvents(model: TraceModel, sink: Sink): void {
  const meta = (name: string, tid: number, args: object) => sink.write({ ph: 'M', name, pid: PID, tid, ts: 0, args });
  meta('process_name', 0, { name: `async-prof: ${model.script}` });
  meta('thread_name', MAIN_TID, { name: 'main thread (blocking, lag)' });
  meta('thread_name', LOOP_TID, { name: 'event loop: task code running' });
  if (model.marks.length > 0) meta('thread_name', MARKS_TID, { name: 'performance marks' });

  // Tasks in start order, each with its segments nested inside.
  const tasks = [...model.tasks].sort((a, b) => a.startMs - b.startMs || a.id - b.id);
  for (const task of tasks) {
    const end = Math.max(task.endMs ?? model.wallMs, task.startMs);
    const id = `0x${task.id.toString(16)}`;
    const common = { cat: 'task', id, pid: PID, tid: MAIN_TID };
    sink.write({
      ...common,
      ph: 'b',
      name: task.name || '(anonymous)',
      ts: us(task.startMs),
      args: {
        location: `${task.file}:${task.line}`,
        file: task.file,
        line: task.line,
        kind: task.kind,
        outcome: task.outcome,
        taskId: task.id,
        parentId: task.parentId,
        runMs: task.runMs,
        waitMs: task.waitMs,
      },
    });
    for (const s of task.segments) {
      const sEnd = Math.min(Number.isFinite(s.endMs) ? s.endMs : end, end);
      const sStart = Math.max(s.startMs, task.startMs);
      if (!(sEnd > sStart)) continue;
      const name = s.kind === 'run' ? 'run' : 'wait';
      sink.write({ ...common, ph: 'b', name, ts: us(sStart), args: { [s.kind === 'run' ? 'line' : 'awaitAt']: `${task.file}:${s.line}` } });
      sink.write({ ...common, ph: 'e', name, ts: us(sEnd) });
    }
    sink.write({ ...common, ph: 'e', name: task.name || '(anonymous)', ts: us(end), args: { outcome: task.outcome } });
  }

  // Blocking stretches: one thread, one at a time; clipped so they never overlap.
  const blocking = [...model.blocking].sort((a, b) => a.startMs - b.startMs);
  for (let i = 0; i < blocking.length; i++) {
    const b = blocking[i]!;
    const next = blocking[i + 1];
    const dur = Math.max(0, Math.min(b.durationMs, next ? next.startMs - b.startMs : b.durationMs));
    sink.write({
      ph: 'X',
      cat: 'blocking',
      name: isAwaitChain(b) ? `blocking: ${b.awaitsResumed} awaits back to back` : `blocking: ${b.function || '(anonymous)'}`,
      pid: PID,
      tid: MAIN_TID,
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
    const ownerTask = owner >= 0 ? model.taskById[taskId[owner]!] : undefined;
    sink.write({
      ph: 'X',
      cat: 'event-loop',
      name: ownerTask ? ownerTask.name || '(anonymous)' : 'task code',
      pid: PID,
      tid: LOOP_TID,
      ts: us(loopStart[k]!),
      dur: us(loopEnd[k]! - loopStart[k]!),
      args: { tasks: loopTasks[k], mostly: ownerTask ? `${ownerTask.file}:${ownerTask.line}` : null },
    });
  }

  // Counters.
  for (let i = 0; i < model.lag.times.length; i++) {
    sink.write({ ph: 'C', name: 'event-loop lag (ms)', pid: PID, tid: MAIN_TID, ts: us(model.lag.times[i]!), args: { lag: model.lag.values[i] } });
  }
  const { concTime, concValue } = view.columns;
  for (let i = 0; i < concTime.length; i++) {
    sink.write({ ph: 'C', name: 'tasks in flight', pid: PID, tid: MAIN_TID, ts: us(concTime[i]!), args: { tasks: concValue[i] } });
  }

  // User timing: marks as instants, measures as async slices (they may overlap).
  model.marks.forEach((m, i) => {
    if (m.kind === 'mark') sink.write({ ph: 'i', s: 't', cat: 'mark', name: m.name, pid: PID, tid: MARKS_TID, ts: us(m.startMs) });
    else {
      const common = { cat: 'measure', id: `0x${(i + 1).toString(16)}`, name: m.name, pid: PID, tid: MARKS_TID };
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
