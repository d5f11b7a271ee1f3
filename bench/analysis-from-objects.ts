// A model from hand-made objects (tasks with their segments, resources, lag samples, blocking
// stretches), through the same path as a recorded run: the objects become trace events and
// profile samples, the trace is written in the file format and read back. For tests and the
// viewer benchmark, which describe runs by hand.
import { buildModel } from '../src/model/build-model.js';
import type { TraceModel } from '../src/model/types.js';
import { parseTrace } from '../src/trace/read-trace.js';
import { TraceBuilder } from './analysis-trace-builder.js';
import { encodeTrace, type TraceContent } from './analysis-trace-writer.js';

export interface ObjectSegment {
  kind: 'run' | 'wait';
  startMs: number;
  /** NaN: still open at the end of the run. */
  endMs: number;
  line: number;
}

export interface ObjectTask {
  id: number;
  parentId: number | null;
  name: string;
  line: number;
  kind?: 'function' | 'arrow' | 'method' | 'generator';
  startMs: number;
  endMs: number | null;
  outcome: 'fulfilled' | 'rejected' | 'pending';
  segments: ObjectSegment[];
}

export interface ObjectResource {
  type: 'setTimeout' | 'setInterval' | 'setImmediate' | 'fs' | 'tcp' | 'fetch' | 'httpClient' | 'httpServer';
  /** Id of the task that created it, or null. */
  taskId: number | null;
  createdMs: number;
  callbacksMs: number[];
  endMs: number | null;
}

export interface ObjectBlocking {
  startMs: number;
  durationMs: number;
  function: string;
  line: number;
  /** Callers, innermost first. */
  stack?: { function: string; line: number }[];
  /** A native frame the time went into. */
  inside?: string;
}

export interface ObjectRun {
  /** The script, relative to cwd. */
  script?: string;
  cwd?: string;
  args?: string[];
  wallMs: number;
  tasks: ObjectTask[];
  resources?: ObjectResource[];
  lag?: { times: number[]; values: number[] };
  blocking?: ObjectBlocking[];
  samplingIntervalUs?: number;
  exitCode?: number;
}

const us = (ms: number) => Math.round(ms * 1000);

interface PendingEvent {
  atUs: number;
  /** 0: ends and callbacks, 1: starts, 2: samples of the loop; then the task's id. */
  order: number;
  id: number;
  emit: () => void;
}

/** The trace content of a hand-made run (a parent must start before its children). */
export function contentFromObjects(run: ObjectRun): TraceContent {
  const cwd = run.cwd ?? '/synthetic';
  const b = new TraceBuilder(cwd, `${cwd}/${run.script ?? 'app.ts'}`, { args: run.args ?? [] });
  const fnOf = new Map<string, number>();
  const fn = (t: ObjectTask) => {
    const key = `${t.name}\0${t.line}\0${t.kind ?? 'function'}`;
    let id = fnOf.get(key);
    if (id === undefined) fnOf.set(key, (id = b.fn(t.name, t.line, t.kind ?? 'function')));
    return id;
  };
  const events: PendingEvent[] = [];
  const at = (ms: number, order: number, id: number, emit: () => void) => events.push({ atUs: us(ms), order, id, emit });
  const tasks = [...run.tasks].sort((x, y) => x.id - y.id);
  for (const t of tasks) {
    const f = fn(t);
    at(t.startMs, 1, t.id, () => void b.enter(f, t.parentId ?? 0, us(t.startMs), t.id));
    t.segments.forEach((s, i) => {
      if (i === 0) return;
      if (s.kind === 'wait') at(s.startMs, 0, t.id, () => b.suspend(t.id, s.line, us(s.startMs)));
      else at(s.startMs, 1, t.id, () => b.resume(t.id, us(s.startMs)));
    });
    if (t.endMs !== null) at(t.endMs, 0, t.id, () => b.exit(t.id, us(t.endMs!), t.outcome === 'rejected'));
  }
  (run.resources ?? []).forEach((r, i) => {
    const id = i + 1;
    at(r.createdMs, 1, 1e9 + id, () => void b.resource(r.type, r.taskId ?? 0, us(r.createdMs), id));
    for (const cb of r.callbacksMs) at(cb, 0, 1e9 + id, () => b.callback(id, us(cb)));
    if (r.endMs !== null) at(r.endMs, 0, 1e9 + id, () => b.end(id, us(r.endMs!)));
  });
  const lag = run.lag ?? { times: [], values: [] };
  lag.times.forEach((t, i) => at(t, 2, 0, () => b.lag(us(t), us(lag.values[i]!))));
  events.sort((x, y) => x.atUs - y.atUs || x.order - y.order || x.id - y.id);
  for (const e of events) e.emit();

  // The profile: idle every millisecond, except in the blocking stretches, which sample their function.
  const blocking = [...(run.blocking ?? [])].sort((x, y) => x.startMs - y.startMs);
  if ((run.samplingIntervalUs ?? 1000) > 0) {
    let cursor = 0;
    for (const s of blocking) {
      b.idle(cursor, us(s.startMs));
      const stack = [...(s.stack ?? [])].reverse().map((f) => b.frame(f.function, f.line));
      stack.push(b.frame(s.function, s.line));
      if (s.inside) stack.push({ name: s.inside, url: '', line: 0 });
      b.busy(us(s.startMs), us(s.startMs + s.durationMs), stack);
      cursor = us(s.startMs + s.durationMs);
    }
    b.idle(cursor, us(run.wallMs) + 1000);
  }
  return b.build({ wallUs: us(run.wallMs), exitCode: run.exitCode, samplingIntervalUs: run.samplingIntervalUs });
}

/** The model of trace content, read back from its file format. */
export function modelFromContent(content: TraceContent, path = '/tmp/synthetic.trace'): TraceModel {
  return buildModel(parseTrace(encodeTrace(content), path));
}

export function modelFromObjects(run: ObjectRun, path = '/tmp/synthetic.trace'): TraceModel {
  return modelFromContent(contentFromObjects(run), path);
}
