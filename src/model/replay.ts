// The one pass over a trace's events: tasks entering, awaiting, resuming and exiting, timers and
// I/O, lag and utilization samples, replayed straight into typed-array columns. A class, so that
// the hot loop reads and writes fields of one object of one shape (V8 keeps that fast); the
// columns are sized from a count of the events that make them (replaySizes).
import { EventType, RESOURCE_TYPES } from '../../contract/index.js';
import { MessageLog } from './message-log.js';
import { OUTCOME_FULFILLED, OUTCOME_PENDING, OUTCOME_REJECTED, SEGMENT_RUN, SEGMENT_WAIT } from './types.js';

const RESOURCE_HTTP_SERVER = RESOURCE_TYPES.indexOf('httpServer');

function grownF64(a: Float64Array, size: number): Float64Array {
  const b = new Float64Array(size);
  b.set(a);
  return b;
}
function grownI32(a: Int32Array, size: number): Int32Array {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}
function grownU8(a: Uint8Array, size: number): Uint8Array {
  const b = new Uint8Array(size);
  b.set(a);
  return b;
}

/** How many of each thing the events can make: the replay's columns are sized from it. */
export interface ReplaySizes {
  tasks: number;
  /** An upper bound: every event that can open a segment. */
  segments: number;
  resources: number;
  callbacks: number;
  lags: number;
  maxTaskId: number;
  maxResourceId: number;
}

/** Counts, from each event's type word alone, what the replay of `chunks` can make. */
export function replaySizes(chunks: readonly { events: Int32Array }[]): ReplaySizes {
  const sizes: ReplaySizes = { tasks: 0, segments: 0, resources: 0, callbacks: 0, lags: 0, maxTaskId: 0, maxResourceId: 0 };
  for (const { events: ev } of chunks) {
    for (let i = 0; i < ev.length; i += 4) {
      switch (ev[i]! & 0xff) {
        case EventType.TaskEnter:
        case EventType.TaskSyncFulfilled:
        case EventType.TaskSyncRejected:
          sizes.tasks++;
          sizes.segments++;
          if (ev[i + 1]! > sizes.maxTaskId) sizes.maxTaskId = ev[i + 1]!;
          break;
        case EventType.TaskSuspend:
        case EventType.TaskResume:
          sizes.segments++;
          break;
        case EventType.ResourceCreate:
          sizes.resources++;
          if (ev[i + 1]! > sizes.maxResourceId) sizes.maxResourceId = ev[i + 1]!;
          break;
        case EventType.ResourceCallback:
          sizes.callbacks++;
          break;
        case EventType.Lag:
          sizes.lags++;
          break;
      }
    }
  }
  return sizes;
}

export class Replay {
  // Tasks, in the order they were created.
  taskCount = 0;
  tId: Int32Array;
  tFn: Int32Array;
  tParent: Int32Array;
  tStart: Float64Array;
  tEnd: Float64Array;
  tStartSeq: Int32Array;
  tEndSeq: Int32Array;
  tOutcome: Uint8Array;
  /** The task's first and last segment (in event order), -1: none. */
  tFirstSeg: Int32Array;
  tLastSeg: Int32Array;
  /** The request (resource index) whose dispatch started the task, -1: none. */
  tRequest: Int32Array;
  /** Task indices in the order they ended. */
  endOrder: Int32Array;
  endCount = 0;
  /** Task id -> index + 1 (0: no such task). */
  taskOfId: Int32Array;

  // Segments, in the order of the events that opened them (at most one per event).
  segCount = 0;
  sStart: Float64Array;
  sEnd: Float64Array;
  sStartSeq: Int32Array;
  sEndSeq: Int32Array;
  sLine: Int32Array;
  sKind: Uint8Array;
  /** The next segment of the same task (-1: its last). */
  sNext: Int32Array;

  // Resources, and their callbacks in event order.
  resourceCount = 0;
  rId: Int32Array;
  rType: Uint8Array;
  rTask: Int32Array;
  rCreated: Float64Array;
  rEnd: Float64Array;
  rFirstCb: Int32Array;
  rLastCb: Int32Array;
  rRoute: Int32Array;
  resourceOfId: Int32Array;
  /**
   * The HTTP request being dispatched: set when one is read (its resource is created) and cleared
   * by the first event that shows the loop went on to something else (a resume, a callback, a lag
   * tick, the next request); the tasks started outside any task meanwhile are its handlers.
   */
  private dispatching = -1;
  cbCount = 0;
  cbTime: Float64Array;
  cbNext: Int32Array;

  lagCount = 0;
  lagTimes: Float64Array;
  lagValues: Float64Array;

  /** Every distinct time at which something happened, in event order (consecutive repeats dropped). */
  timeCount = 0;
  times: Float64Array = new Float64Array(1024);
  private lastTimeAdded = Number.NaN;

  /**
   * When some task's code was running: the union of the run segments of positive length, as
   * sorted [start, end, start, end, ...] with touching intervals merged, found as the events go
   * (a count of open run segments). Valid only while event times never go back (timesInOrder).
   */
  busyCount = 0;
  busy: Float64Array = new Float64Array(1024);
  private openRuns = 0;
  private busySince = 0;
  timesInOrder = true;
  private previousAt = Number.NEGATIVE_INFINITY;

  /** Messages sent to and received from other threads and processes (revision 4). */
  messages = new MessageLog();
  private readonly taskOfBound = (id: number) => this.taskOf(id);

  lastUtilization: number | null = null;
  lastTime = 0;
  seq = 0;

  constructor(
    sizes: ReplaySizes,
    /** Line of each function id (0: unknown); ids beyond it read as unknown. */
    private readonly functionLines: readonly number[],
  ) {
    // Sized from the count of the events that make each (the columns never grow on a whole trace).
    const tasks = Math.max(16, sizes.tasks);
    this.tId = new Int32Array(tasks);
    this.tFn = new Int32Array(tasks);
    this.tParent = new Int32Array(tasks);
    this.tStart = new Float64Array(tasks);
    this.tEnd = new Float64Array(tasks);
    this.tStartSeq = new Int32Array(tasks);
    this.tEndSeq = new Int32Array(tasks);
    this.tOutcome = new Uint8Array(tasks);
    this.tFirstSeg = new Int32Array(tasks);
    this.tLastSeg = new Int32Array(tasks);
    this.tRequest = new Int32Array(tasks);
    this.endOrder = new Int32Array(tasks);
    this.taskOfId = new Int32Array(Math.max(16, sizes.maxTaskId + 1));
    const segments = Math.max(16, sizes.segments);
    this.sStart = new Float64Array(segments);
    this.sEnd = new Float64Array(segments);
    this.sStartSeq = new Int32Array(segments);
    this.sEndSeq = new Int32Array(segments);
    this.sLine = new Int32Array(segments);
    this.sKind = new Uint8Array(segments);
    this.sNext = new Int32Array(segments);
    const resources = Math.max(16, sizes.resources);
    this.rId = new Int32Array(resources);
    this.rType = new Uint8Array(resources);
    this.rTask = new Int32Array(resources);
    this.rCreated = new Float64Array(resources);
    this.rEnd = new Float64Array(resources);
    this.rFirstCb = new Int32Array(resources);
    this.rLastCb = new Int32Array(resources);
    this.rRoute = new Int32Array(resources);
    this.resourceOfId = new Int32Array(Math.max(16, sizes.maxResourceId + 1));
    const callbacks = Math.max(16, sizes.callbacks);
    this.cbTime = new Float64Array(callbacks);
    this.cbNext = new Int32Array(callbacks);
    const lags = Math.max(16, sizes.lags);
    this.lagTimes = new Float64Array(lags);
    this.lagValues = new Float64Array(lags);
  }

  /** Replays one chunk: `events` four words per event, times relative to the chunk, `baseMs` the chunk's start on the model's clock. */
  chunk(ev: Int32Array, chunkUs: number, firstBaseMs: number): void {
    for (let i = 0; i < ev.length; i += 4) {
      const word = ev[i]!;
      const type = word & 0xff;
      const x = word >>> 8;
      const a = ev[i + 1]!;
      const b = ev[i + 2]!;
      const at = firstBaseMs + (chunkUs + (ev[i + 3]! >>> 0)) / 1000;
      if (at > this.lastTime) this.lastTime = at;
      if (at < this.previousAt) this.timesInOrder = false;
      this.previousAt = at;
      const seq = ++this.seq;
      switch (type) {
        case EventType.TaskEnter: {
          const task = this.startTask(a, x, b, at, seq);
          this.openSegment(task, SEGMENT_RUN, at, this.functionLines[this.tFn[task]!]!, seq);
          this.addTime(at);
          if (this.messages.waiting >= 0) this.messages.taskStarted(task, at);
          break;
        }
        case EventType.TaskSyncFulfilled:
        case EventType.TaskSyncRejected: {
          const task = this.startTask(a, x, b, at, seq);
          if (this.messages.waiting >= 0) this.messages.taskStarted(task, at);
          this.openSegment(task, SEGMENT_RUN, at, this.functionLines[this.tFn[task]!]!, seq);
          this.sEnd[this.segCount - 1] = at;
          this.sEndSeq[this.segCount - 1] = seq;
          this.runClosed(at);
          this.endTask(task, at, seq, type === EventType.TaskSyncRejected ? OUTCOME_REJECTED : OUTCOME_FULFILLED);
          this.addTime(at);
          break;
        }
        case EventType.TaskSuspend: {
          const task = this.taskOf(a);
          if (task < 0 || !Number.isNaN(this.tEnd[task]!)) break;
          const last = this.tLastSeg[task]!;
          if (last >= 0 && this.sKind[last] === SEGMENT_WAIT && Number.isNaN(this.sEnd[last]!)) break;
          this.closeSegment(task, at, seq);
          this.openSegment(task, SEGMENT_WAIT, at, x, seq);
          this.addTime(at);
          break;
        }
        case EventType.TaskResume: {
          this.dispatching = -1;
          const task = this.taskOf(a);
          if (task < 0 || !Number.isNaN(this.tEnd[task]!)) break;
          const last = this.closeSegment(task, at, seq);
          const line = last >= 0 && this.sKind[last] === SEGMENT_WAIT ? this.sLine[last]! : this.functionLines[this.tFn[task]!]!;
          this.openSegment(task, SEGMENT_RUN, at, line, seq);
          this.addTime(at);
          if (this.messages.waiting >= 0) this.messages.taskResumed(task, at);
          break;
        }
        case EventType.TaskExit: {
          const task = this.taskOf(a);
          if (task < 0 || !Number.isNaN(this.tEnd[task]!)) break;
          this.closeSegment(task, at, seq);
          this.endTask(task, at, seq, x === OUTCOME_REJECTED ? OUTCOME_REJECTED : x === OUTCOME_PENDING ? OUTCOME_PENDING : OUTCOME_FULFILLED);
          break;
        }
        case EventType.ResourceCreate: {
          const r = this.createResource(a, x, b > 0 ? this.taskOf(b) : -1, at);
          if (x === RESOURCE_HTTP_SERVER) this.dispatching = r;
          this.addTime(at);
          break;
        }
        case EventType.ResourceCallback: {
          this.dispatching = -1;
          const r = this.resourceOf(a);
          if (this.messages.waiting >= 0) this.messages.turnEnded();
          if (r < 0) break;
          this.addCallback(r, at);
          this.addTime(at);
          break;
        }
        case EventType.ResourceEnd: {
          const r = this.resourceOf(a);
          if (r >= 0 && Number.isNaN(this.rEnd[r]!)) this.rEnd[r] = at;
          break;
        }
        case EventType.RequestRoute: {
          const r = this.resourceOf(a);
          if (r >= 0) this.rRoute[r] = x;
          break;
        }
        case EventType.Lag:
          if (this.messages.waiting >= 0) this.messages.turnEnded();
          this.dispatching = -1;
          this.addLag(at, a / 1000);
          this.addTime(at);
          break;
        case EventType.Utilization:
          this.lastUtilization = a / 1e6;
          break;
        case EventType.MessageChannel:
        case EventType.MessageSend:
        case EventType.MessageReceive:
        case EventType.MessageDelivered:
          this.messages.event(type, x, a, b, at, seq, this.taskOfBound);
          if (type !== EventType.MessageChannel && type !== EventType.MessageDelivered) this.addTime(at);
          break;
      }
    }
  }

  taskOf(id: number): number {
    return id > 0 && id < this.taskOfId.length ? this.taskOfId[id]! - 1 : -1;
  }

  resourceOf(id: number): number {
    return id > 0 && id < this.resourceOfId.length ? this.resourceOfId[id]! - 1 : -1;
  }

  addTime(at: number): void {
    if (at === this.lastTimeAdded) return;
    this.lastTimeAdded = at;
    if (this.timeCount === this.times.length) this.times = grownF64(this.times, this.times.length * 2);
    this.times[this.timeCount++] = at;
  }

  private startTask(id: number, fnId: number, parentId: number, at: number, seq: number): number {
    if (this.taskCount === this.tId.length) this.growTasks();
    const t = this.taskCount++;
    this.tId[t] = id;
    this.tFn[t] = fnId >= 0 && fnId < this.functionLines.length ? fnId : 0;
    this.tParent[t] = this.taskOf(parentId);
    this.tStart[t] = at;
    this.tEnd[t] = Number.NaN;
    this.tStartSeq[t] = seq;
    this.tEndSeq[t] = -1;
    this.tOutcome[t] = OUTCOME_PENDING;
    this.tFirstSeg[t] = -1;
    this.tLastSeg[t] = -1;
    this.tRequest[t] = this.tParent[t] === -1 ? this.dispatching : -1;
    if (id > 0) {
      if (id >= this.taskOfId.length) this.taskOfId = grownI32(this.taskOfId, Math.max(id + 1, this.taskOfId.length * 2));
      this.taskOfId[id] = t + 1;
    }
    return t;
  }

  private growTasks(): void {
    const size = this.tId.length * 2;
    this.tId = grownI32(this.tId, size);
    this.tFn = grownI32(this.tFn, size);
    this.tParent = grownI32(this.tParent, size);
    this.tStart = grownF64(this.tStart, size);
    this.tEnd = grownF64(this.tEnd, size);
    this.tStartSeq = grownI32(this.tStartSeq, size);
    this.tEndSeq = grownI32(this.tEndSeq, size);
    this.tOutcome = grownU8(this.tOutcome, size);
    this.tFirstSeg = grownI32(this.tFirstSeg, size);
    this.tLastSeg = grownI32(this.tLastSeg, size);
    this.tRequest = grownI32(this.tRequest, size);
    this.endOrder = grownI32(this.endOrder, size);
  }

  private endTask(task: number, at: number, seq: number, outcome: number): void {
    this.tEnd[task] = at;
    this.tEndSeq[task] = seq;
    this.tOutcome[task] = outcome;
    this.endOrder[this.endCount++] = task;
  }

  private openSegment(task: number, kind: number, at: number, line: number, seq: number): void {
    const g = this.segCount++;
    this.sStart[g] = at;
    this.sEnd[g] = Number.NaN;
    this.sStartSeq[g] = seq;
    this.sEndSeq[g] = 0;
    this.sLine[g] = line;
    this.sKind[g] = kind;
    this.sNext[g] = -1;
    const last = this.tLastSeg[task]!;
    if (last >= 0) this.sNext[last] = g;
    else this.tFirstSeg[task] = g;
    this.tLastSeg[task] = g;
    if (kind === SEGMENT_RUN && this.openRuns++ === 0) this.busySince = at;
  }

  /** A run segment [start, end] closed: the loop stops being busy when no other run is open. */
  private runClosed(end: number): void {
    if (--this.openRuns > 0) return;
    const since = this.busySince;
    // Only positive lengths count; an interval touching the previous one extends it.
    if (!(end > since)) return;
    if (this.busyCount > 0 && this.busy[this.busyCount - 1] === since) {
      this.busy[this.busyCount - 1] = end;
      return;
    }
    if (this.busyCount + 2 > this.busy.length) this.busy = grownF64(this.busy, this.busy.length * 2);
    this.busy[this.busyCount++] = since;
    this.busy[this.busyCount++] = end;
  }

  /** Closes the task's open segment (if any) at `at`; returns its index. */
  private closeSegment(task: number, at: number, seq: number): number {
    const last = this.tLastSeg[task]!;
    if (last >= 0 && Number.isNaN(this.sEnd[last]!)) {
      const end = Math.max(at, this.sStart[last]!);
      this.sEnd[last] = end;
      this.sEndSeq[last] = seq;
      this.addTime(end);
      if (this.sKind[last] === SEGMENT_RUN) this.runClosed(end);
    }
    return last;
  }

  private createResource(id: number, type: number, owner: number, at: number): number {
    let r = this.resourceOf(id);
    if (r < 0) {
      if (this.resourceCount === this.rId.length) this.growResources();
      r = this.resourceCount++;
      this.rId[r] = id;
      this.rFirstCb[r] = -1;
      this.rLastCb[r] = -1;
      if (id > 0) {
        if (id >= this.resourceOfId.length) this.resourceOfId = grownI32(this.resourceOfId, Math.max(id + 1, this.resourceOfId.length * 2));
        this.resourceOfId[id] = r + 1;
      }
    }
    this.rType[r] = type < RESOURCE_TYPES.length ? type : 0;
    this.rTask[r] = owner;
    this.rCreated[r] = at;
    this.rEnd[r] = Number.NaN;
    this.rRoute[r] = 0;
    return r;
  }

  private growResources(): void {
    const size = this.rId.length * 2;
    this.rId = grownI32(this.rId, size);
    this.rType = grownU8(this.rType, size);
    this.rTask = grownI32(this.rTask, size);
    this.rCreated = grownF64(this.rCreated, size);
    this.rEnd = grownF64(this.rEnd, size);
    this.rFirstCb = grownI32(this.rFirstCb, size);
    this.rLastCb = grownI32(this.rLastCb, size);
    this.rRoute = grownI32(this.rRoute, size);
  }

  private addCallback(r: number, at: number): void {
    if (this.cbCount === this.cbTime.length) {
      this.cbTime = grownF64(this.cbTime, this.cbCount * 2);
      this.cbNext = grownI32(this.cbNext, this.cbCount * 2);
    }
    const k = this.cbCount++;
    this.cbTime[k] = at;
    this.cbNext[k] = -1;
    const last = this.rLastCb[r]!;
    if (last >= 0) this.cbNext[last] = k;
    else this.rFirstCb[r] = k;
    this.rLastCb[r] = k;
  }

  private addLag(at: number, valueMs: number): void {
    if (this.lagCount === this.lagTimes.length) {
      this.lagTimes = grownF64(this.lagTimes, this.lagCount * 2);
      this.lagValues = grownF64(this.lagValues, this.lagCount * 2);
    }
    this.lagTimes[this.lagCount] = at;
    this.lagValues[this.lagCount++] = valueMs;
  }

  /** Segments still open (tasks pending at the end) end with the run. */
  closeOpenSegments(wallMs: number): void {
    for (let t = 0; t < this.taskCount; t++) {
      const last = this.tLastSeg[t]!;
      if (last >= 0 && Number.isNaN(this.sEnd[last]!)) {
        this.sEnd[last] = Math.max(wallMs, this.sStart[last]!);
        this.sEndSeq[last] = this.seq + 1;
        this.addTime(this.sEnd[last]!);
        if (this.sKind[last] === SEGMENT_RUN) this.runClosed(this.sEnd[last]!);
      }
    }
  }
}
