// Builds synthetic traces event by event, in time order: tasks entering, awaiting, resuming and
// exiting, timers and I/O, lag samples, and V8 profile samples. The content goes to the one
// format adapter (analysis-trace-writer.ts). Times are whole microseconds from the script's start.
import { EventType, FUNCTION_KINDS, Outcome, RESOURCE_TYPES, TRACE_VERSION } from '../contract/index.js';
import type { ProfileChunk, ProfileNode } from '../instrument/profiler.js';
import type { SchedRecord } from '../src/model/build-model.js';
import type { ErrorRecord, MarkRecord, TraceMeta } from '../src/trace/read-trace.js';
import type { TraceContent } from './analysis-trace-writer.js';

/** The performance.now() time the synthetic run starts at (any value; not a round one). */
const ORIGIN_MS = 1234.5678;
/** Samples per profile chunk (the recorder cuts one every two seconds). */
const SAMPLES_PER_CHUNK = 4000;

export interface Frame {
  name: string;
  /** A file path (absolute, or node:...) ; '' for native frames. */
  url: string;
  /** 1-based line of the function. */
  line: number;
}

export class TraceBuilder {
  private events = new Int32Array(1 << 16);
  private count = 0;
  private lastUs = 0;
  private nextTask = 1;
  private nextResource = 1;
  private readonly functions: (string | number)[] = [];
  private readonly ranges: number[] = [];
  private readonly file: string;
  private profiles: ProfileChunk[] = [];
  private chunk: ProfileChunk | null = null;
  private chunkNodes = new Map<string, number>();
  private chunkLastUs = 0;
  readonly errors: ErrorRecord[] = [];
  readonly marks: MarkRecord[] = [];
  readonly sched: SchedRecord[] = [];
  readonly routes: { firstId: number; names: string[] }[] = [];

  constructor(
    readonly cwd = '/synthetic',
    readonly script = `${cwd}/app.ts`,
    private readonly metaOverrides: Partial<TraceMeta> = {},
  ) {
    this.file = script;
  }

  get eventCount(): number {
    return this.count;
  }

  /** Declares an async function of the script; returns its function id. */
  fn(name: string, line: number, kind: (typeof FUNCTION_KINDS)[number] = 'function', endLine = line + 10): number {
    this.functions.push(name, line, FUNCTION_KINDS.indexOf(kind));
    this.ranges.push(line, endLine);
    return this.functions.length / 3;
  }

  private push(type: number, x: number, a: number, b: number, atUs: number): void {
    if (this.count * 4 === this.events.length) {
      const grown = new Int32Array(this.events.length * 2);
      grown.set(this.events);
      this.events = grown;
    }
    // Events are in time order: a builder that goes back in time is a bug in the generator.
    const at = Math.max(Math.round(atUs), this.lastUs);
    this.lastUs = at;
    const i = this.count++ * 4;
    this.events[i] = type | (x << 8);
    this.events[i + 1] = a;
    this.events[i + 2] = b;
    this.events[i + 3] = at;
  }

  /** A call of async function `fn` by task `parent` (0: none) starts; returns the task id (`id` when given). */
  enter(fn: number, parent: number, atUs: number, id = this.nextTask): number {
    this.nextTask = Math.max(this.nextTask, id + 1);
    this.push(EventType.TaskEnter, fn, id, parent, atUs);
    return id;
  }

  /** A call that ended where it started (a leaf that never waited). */
  sync(fn: number, parent: number, atUs: number, rejected = false): number {
    const id = this.nextTask++;
    this.push(rejected ? EventType.TaskSyncRejected : EventType.TaskSyncFulfilled, fn, id, parent, atUs);
    return id;
  }

  suspend(task: number, line: number, atUs: number): void {
    this.push(EventType.TaskSuspend, line, task, 0, atUs);
  }

  resume(task: number, atUs: number): void {
    this.push(EventType.TaskResume, 0, task, 0, atUs);
  }

  exit(task: number, atUs: number, rejected = false): void {
    this.push(EventType.TaskExit, rejected ? Outcome.Rejected : Outcome.Fulfilled, task, 0, atUs);
  }

  /** A timer or I/O operation created by `task` (0: none); returns its id (`id` when given). */
  resource(type: (typeof RESOURCE_TYPES)[number], task: number, atUs: number, id = this.nextResource): number {
    this.nextResource = Math.max(this.nextResource, id + 1);
    this.push(EventType.ResourceCreate, RESOURCE_TYPES.indexOf(type), id, task, atUs);
    return id;
  }

  callback(resource: number, atUs: number): void {
    this.push(EventType.ResourceCallback, 0, resource, 0, atUs);
  }

  end(resource: number, atUs: number): void {
    this.push(EventType.ResourceEnd, 0, resource, 0, atUs);
  }

  /** A channel to a worker thread or child process (MessageChannelKind), numbered `channel` in this thread. */
  channel(kind: number, channel: number, peer: number, atUs: number): void {
    this.push(EventType.MessageChannel, kind, channel, peer, atUs);
  }

  /** Message number `n` sent on `channel` by `task` (0: none). */
  send(channel: number, n: number, task: number, atUs: number): void {
    this.push(EventType.MessageSend, channel, n, task, atUs);
  }

  /** Message number `n` received on `channel` (its listeners start; `task` current, 0: none), and their end. */
  receive(channel: number, n: number, task: number, atUs: number): void {
    this.push(EventType.MessageReceive, channel, n, task, atUs);
  }

  delivered(channel: number, n: number, atUs: number): void {
    this.push(EventType.MessageDelivered, channel, n, 0, atUs);
  }

  /** An HTTP request's response finished: its route (an id of a `routes` record). */
  route(resource: number, routeId: number, atUs: number): void {
    this.push(EventType.RequestRoute, routeId, resource, 0, atUs);
  }

  lag(atUs: number, lagUs: number): void {
    this.push(EventType.Lag, 0, Math.round(lagUs), 0, atUs);
  }

  /** A profile sample at `atUs` with this stack (outermost first); an empty stack is an idle sample. */
  sample(atUs: number, stack: readonly Frame[]): void {
    const t = (ORIGIN_MS * 1000 + atUs);
    if (!this.chunk || this.chunk.samples.length >= SAMPLES_PER_CHUNK) {
      if (this.chunk) this.profiles.push(this.chunk);
      this.chunk = { startTime: t - 1, endTime: t, nodes: [], samples: [], timeDeltas: [] };
      this.chunkNodes = new Map();
      this.chunkLastUs = t - 1;
      this.node('(root)', '', 0, 0);
    }
    let parent = 1;
    if (stack.length === 0) parent = this.node('(idle)', '', 0, 1);
    for (const frame of stack) parent = this.node(frame.name, frame.url ? (frame.url.startsWith('node:') ? frame.url : `file://${frame.url}`) : '', frame.line - 1, parent);
    this.chunk.samples.push(parent);
    this.chunk.timeDeltas.push(t - this.chunkLastUs);
    this.chunkLastUs = t;
    this.chunk.endTime = t + 1;
  }

  private node(f: string, u: string, l: number, p: number): number {
    const key = `${p}\0${f}\0${u}\0${l}`;
    let id = this.chunkNodes.get(key);
    if (id === undefined) {
      id = this.chunk!.nodes.length + 1;
      const node: ProfileNode = { id, f, u, l, c: 0, p: p === 0 ? 0 : p };
      if (f !== '(root)' && f !== '(idle)' && u !== '' && !u.startsWith('node:')) node.t = [l + 1, 1];
      this.chunk!.nodes.push(node);
      this.chunkNodes.set(key, id);
    }
    return id;
  }

  /** Idle samples every `everyUs` from `fromUs` to `toUs`. */
  idle(fromUs: number, toUs: number, everyUs = 1000): void {
    for (let at = fromUs; at < toUs; at += everyUs) this.sample(at, []);
  }

  /** A synchronous stretch: samples of this stack every `everyUs` from `fromUs` to `toUs`. */
  busy(fromUs: number, toUs: number, stack: readonly Frame[], everyUs = 1000): void {
    for (let at = fromUs; at < toUs; at += everyUs) this.sample(at, stack);
  }

  /** The script's own file as a profile frame of function `name` at `line`. */
  frame(name: string, line: number): Frame {
    return { name, url: this.file, line };
  }

  build(options: { wallUs?: number; exitCode?: number; blockingThresholdMs?: number; samplingIntervalUs?: number } = {}): TraceContent {
    if (this.chunk) {
      this.profiles.push(this.chunk);
      this.chunk = null;
    }
    const wallUs = Math.max(options.wallUs ?? 0, this.lastUs);
    const meta: TraceMeta = {
      version: TRACE_VERSION,
      script: this.script,
      args: [],
      cwd: this.cwd,
      pid: 1,
      node: 'v20.20.0',
      platform: 'linux',
      arch: 'x64',
      startEpochMs: 1_700_000_000_000,
      originMs: ORIGIN_MS,
      hrOriginMs: 0,
      blockingThresholdMs: options.blockingThresholdMs ?? 50,
      samplingIntervalUs: options.samplingIntervalUs ?? 1000,
      lagIntervalMs: 10,
      clockTickUs: 200,
      profilerDir: '/opt/async-prof/',
      ...this.metaOverrides,
    };
    return {
      meta,
      modules: this.functions.length > 0 ? [{ file: this.file, firstId: 1, functions: this.functions, ranges: this.ranges }] : [],
      events: this.events,
      eventCount: this.count,
      profiles: this.profiles,
      errors: this.errors,
      marks: this.marks,
      end: { exitCode: options.exitCode ?? 0, signal: null, endMs: ORIGIN_MS + wallUs / 1000, dropped: 0, tasks: this.nextTask - 1 },
      startMs: ORIGIN_MS,
      sched: this.sched,
      routes: this.routes,
    };
  }
}

export { ORIGIN_MS };
