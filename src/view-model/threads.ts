// Worker threads in the view model: each worker thread's tasks follow the main thread's in the
// task columns (a range of display indices per thread, each a forest of its own), with its names
// and files in the one string table; and the header lists every thread (main first) with what
// its lane group's header draws: the thread's busy intervals (its event-loop lane), its lag
// samples and its blocking stretches, all on the one time axis. Workers' timers and I/O lanes
// are not carried (their tasks have no resource groups).
import { answersByPeer, peerKey, type PeerAnswers } from '../analysis/answers-by-peer.js';
import { analysisOf } from '../analysis/pipeline.js';
import type { TraceModel } from '../model/types.js';
import { StringTable } from './string-table.js';
import type { ViewColumns, ViewModel, ViewThread } from './types.js';

const round = (ms: number) => Math.round(ms * 1000) / 1000;

/** The main thread's view model with its worker threads' (built by the same builder) merged in. */
export function mergeThreads(main: ViewModel, mainModel: TraceModel, workers: { model: TraceModel; view: ViewModel }[]): ViewModel {
  const strings = new StringTable();
  for (const s of main.header.strings) strings.intern(s);
  const m = main.columns;
  const nMain = m.taskId.length;
  const answers = answersByPeer(mainModel);
  const threads: ViewThread[] = [describe(mainModel, main, 0, nMain, mainModel, answers)];
  let n = nMain;
  let segs = m.segStart.length;
  for (const w of workers) {
    threads.push(describe(w.model, w.view, n, n + w.view.columns.taskId.length, mainModel, answers));
    n += w.view.columns.taskId.length;
    segs += w.view.columns.segStart.length;
  }
  const out = { ...m } as ViewColumns;
  const concat = <K extends keyof ViewColumns>(key: K, length: number, fill: (into: ViewColumns[K], offset: number, w: ViewColumns, remap: Int32Array) => void) => {
    const Ctor = m[key].constructor as new (length: number) => ViewColumns[K];
    const into = new Ctor(length);
    (into as unknown as { set(a: ArrayLike<number>, at: number): void }).set(m[key] as ArrayLike<number>, 0);
    let offset = 0;
    for (const w of workers) {
      const remap = Int32Array.from(w.view.header.strings, (s) => strings.intern(s));
      fill(into, nMain + offset, w.view.columns, remap);
      offset += w.view.columns.taskId.length;
    }
    out[key] = into;
  };
  const copy = (key: keyof ViewColumns) => concat(key, n, (into, at, w) => (into as Float64Array).set(w[key] as unknown as ArrayLike<number>, at));
  const strs = (key: 'taskName' | 'taskFile' | 'taskKind') =>
    concat(key, n, (into, at, w, remap) => {
      const from = w[key];
      for (let i = 0; i < from.length; i++) into[at + i] = remap[from[i]!]!;
    });
  for (const key of ['taskId', 'taskDepth', 'taskSize', 'taskChildren', 'taskLine', 'taskStart', 'taskEnd', 'taskOutcome', 'taskRun', 'taskWait'] as const) copy(key);
  strs('taskName');
  strs('taskFile');
  strs('taskKind');
  concat('taskParent', n, (into, at, w) => {
    for (let i = 0; i < w.taskParent.length; i++) into[at + i] = w.taskParent[i]! >= 0 ? w.taskParent[i]! + at : -1;
  });
  // Segments: each worker's after the main thread's, its tasks' offsets moved with them.
  const segStart = new Float64Array(segs);
  const segEnd = new Float64Array(segs);
  const segKind = new Uint8Array(segs);
  const segLine = new Int32Array(segs);
  const taskSegOff = new Int32Array(n + 1);
  segStart.set(m.segStart);
  segEnd.set(m.segEnd);
  segKind.set(m.segKind);
  segLine.set(m.segLine);
  taskSegOff.set(m.taskSegOff.subarray(0, nMain + 1));
  // Worker tasks have no resource groups: the main thread's orphan groups stay after the last task.
  const taskGroupOff = new Int32Array(n + 1);
  taskGroupOff.set(m.taskGroupOff.subarray(0, nMain + 1));
  taskGroupOff.fill(m.taskGroupOff[nMain]!, nMain + 1);
  let at = nMain;
  let segAt = m.segStart.length;
  for (const w of workers) {
    const c = w.view.columns;
    segStart.set(c.segStart, segAt);
    segEnd.set(c.segEnd, segAt);
    segKind.set(c.segKind, segAt);
    segLine.set(c.segLine, segAt);
    for (let i = 1; i < c.taskSegOff.length; i++) taskSegOff[at + i] = c.taskSegOff[i]! + segAt;
    at += c.taskId.length;
    segAt += c.segStart.length;
  }
  Object.assign(out, { segStart, segEnd, segKind, segLine, taskSegOff, taskGroupOff });
  return { header: { ...main.header, strings: strings.strings, threads }, columns: out };
}

function groupName(model: TraceModel, main: TraceModel): string {
  if (model.pid === main.pid) return model.threadId === 0 ? 'main thread' : `worker ${model.threadId}`;
  return model.threadId === 0 ? `pid ${model.pid}` : `pid ${model.pid} worker ${model.threadId}`;
}

function describe(model: TraceModel, view: ViewModel, firstTask: number, endTask: number, main: TraceModel, answers: Map<string, PeerAnswers>): ViewThread {
  const analysis = analysisOf(model);
  const c = view.columns;
  const busy: number[] = [];
  for (let i = 0; i < c.loopStart.length; i++) busy.push(round(c.loopStart[i]!), round(c.loopEnd[i]!));
  const lag: number[] = [];
  for (let i = 0; i < c.lagTime.length; i++) lag.push(round(c.lagTime[i]!), round(c.lagValue[i]!));
  const child = model.pid !== main.pid;
  const asked = model === main ? undefined : answers.get(peerKey(model.pid, model.threadId));
  const answer = asked && { ...asked, waitMs: round(asked.waitMs), longestMs: round(asked.longestMs) };
  return {
    threadId: model.threadId,
    pid: model.pid,
    ...(child ? { childProcess: true } : {}),
    ...(child && model.threadId === 0 ? { command: [model.script, ...model.args].join(' '), ended: model.signal !== null ? `killed by ${model.signal}` : `exit ${model.exitCode ?? (model.complete ? 0 : '?')}` } : {}),
    ...(model.notNode ? { span: [round(model.ownZeroMs), round(model.wallMs)] as [number, number] } : {}),
    ...(answer ? { answers: answer } : {}),
    name: groupName(model, main),
    firstTask,
    endTask,
    elu: analysis.elu,
    lag: analysis.lag.summary,
    busy,
    lagSamples: lag,
    blocking: analysis.blocking.map((b) => ({ startMs: b.startMs, durationMs: b.durationMs, endMs: b.endMs, function: b.function, file: b.file, line: b.line })),
  };
}
