// The hot path: what instrumented code calls. Every call records one event into a typed
// array (a timestamp and three integers) and keeps track of which task is on the CPU.
//
// "Current task" follows the synchronous call stack: entering or resuming a task pushes it,
// suspending at an await or exiting pops it. A task resumed by a rejected await never runs its
// resume marker; the transform puts `rc` (resume if not current) at the top of catch and
// finally blocks, and `x` copes with a task that exits straight from a wait.
import { msOfWord, tick, type SharedClock } from './clock.js';
import { EventType, Outcome } from './protocol.js';

// The hot functions below write these as literals: a module-level object or `let` costs a load
// and a map check per event in optimized code (the bundle turns top-level consts into vars).
// Same values as EventType and Outcome in protocol.ts (checked by tsc below).
const enum Hot {
  TypeBits = 8,
  TypeMask = 0xff,
  Enter = 1,
  Suspend = 2,
  Resume = 3,
  Exit = 4,
  SyncFulfilled = 11,
  SyncRejected = 12,
  Rejected = 2,
}
type Is<A extends B, B> = A;
type HotMatchesProtocol = [
  Is<Hot.Enter, typeof EventType.TaskEnter>,
  Is<Hot.Suspend, typeof EventType.TaskSuspend>,
  Is<Hot.Resume, typeof EventType.TaskResume>,
  Is<Hot.Exit, typeof EventType.TaskExit>,
  Is<Hot.SyncFulfilled, typeof EventType.TaskSyncFulfilled>,
  Is<Hot.SyncRejected, typeof EventType.TaskSyncRejected>,
  Is<Hot.Rejected, typeof Outcome.Rejected>,
];
/**
 * How deep tasks can nest synchronously: 262,144 levels, 1 MB. A JavaScript stack overflows
 * long before (984 KB by default, and each level holds an async function's frame), so e and r
 * push without a bounds check.
 */
const STACK_DEPTH = 1 << 18;
const WARM_UP_ROUNDS = 20_000;
const WARM_UP_RARE_ROUNDS = 200;
const WARM_UP_CHUNK = 4096;

export interface RuntimeSink {
  /** The array the first events go into (4 x i32 per event; its length sets the chunk size). */
  initialEvents: Int32Array<ArrayBufferLike>;
  /** Takes a chunk (full, or partial at a periodic flush) and returns the array to fill next. */
  flushEvents(base: number, events: Int32Array<ArrayBufferLike>, count: number): Int32Array<ArrayBufferLike>;
}

export interface TaskFunctionTable {
  file: string;
  /** name, line, kind index, ... in one flat array. */
  functions: (string | number)[];
  /** Start and end line of every function in the module, flat: for blocking attribution. */
  ranges: number[];
}

let sink: RuntimeSink | null = null;
let sharedClock: SharedClock | null = null;
/** The clock word (clock.ts) is clock[0]; events store their distance from chunkStart[0]. */
let clock: Int32Array<ArrayBufferLike> = new Int32Array(1);
const chunkStart = new Int32Array(1);

let events: Int32Array<ArrayBufferLike> = new Int32Array(16384 * 4);
let capacity = 16384;
let count = 0;
/** performance.now() time of chunkStart: the chunk's base in the trace. */
let base = 0;

let lastTaskId = 0;
let lastResourceId = 0;
let current = 0;
const stack = new Int32Array(STACK_DEPTH);
/** current is not 0 only while something is pushed: depth > 0 whenever a task is current. */
let depth = 0;
/** Task whose body just returned a promise it now waits on (see rv). */
let tailTask = 0;

let nextFunctionId = 1;
let onModule: ((table: TaskFunctionTable, firstId: number) => void) | null = null;
let onFirstModule: (() => void) | null = null;

function emit(word0: number, a: number, b: number): void {
  if (count === capacity) flush();
  const i = count++ << 2;
  events[i] = word0;
  events[i + 1] = a;
  events[i + 2] = b;
  events[i + 3] = clock[0]! - chunkStart[0]!;
}

export function flush(): void {
  if (sink !== null && count > 0) events = sink.flushEvents(base, events, count);
  count = 0;
  startChunk();
}

function startChunk(): void {
  const word = clock[0]!;
  chunkStart[0] = word;
  base = sharedClock === null ? 0 : msOfWord(sharedClock, word);
}

function push(task: number): void {
  stack[depth++] = current;
  current = task;
}

function pop(): void {
  current = depth > 0 ? stack[--depth]! : 0;
}

// The four functions below run at every async call and await of the script. Each one writes
// its event inline instead of calling emit(): V8 then inlines them whole into the instrumented
// functions (measured: emit and stamp stayed out-of-line calls otherwise). Keep them small.

/** enter: a call of an async function starts a task. */
function e(fn: number): number {
  const id = ++lastTaskId;
  if (count === capacity) flush();
  const i = count++ << 2;
  events[i] = Hot.Enter | (fn << Hot.TypeBits);
  events[i + 1] = id;
  events[i + 2] = current;
  events[i + 3] = clock[0]! - chunkStart[0]!;
  stack[depth++] = current;
  current = id;
  return id;
}

/** suspend: the task reaches an await (after its operand was evaluated). */
function s<T>(task: number, line: number, value: T): T {
  if (count === capacity) flush();
  const i = count++ << 2;
  events[i] = Hot.Suspend | (line << Hot.TypeBits);
  events[i + 1] = task;
  events[i + 2] = 0;
  events[i + 3] = clock[0]! - chunkStart[0]!;
  if (current === task) current = stack[--depth]!;
  return value;
}

/** resume: the await finished normally. */
function r<T>(task: number, value: T): T {
  if (count === capacity) flush();
  const i = count++ << 2;
  events[i] = Hot.Resume;
  events[i + 1] = task;
  events[i + 2] = 0;
  events[i + 3] = clock[0]! - chunkStart[0]!;
  stack[depth++] = current;
  current = task;
  return value;
}

/** resume-if-suspended: top of catch and finally blocks, and after for-await loops. */
function rc(task: number): void {
  if (current !== task) r(task, undefined);
}

/**
 * exit: the body returned or threw. A task that exits right after its own Enter event, at the
 * same clock reading, becomes one TaskSync event: the Enter is rewritten in place (most leaf
 * async calls; halves their events).
 */
function x(task: number, outcome: number): void {
  if (tailTask === task) {
    tailTask = 0;
  } else {
    const j = (count - 1) << 2;
    if (count > 0 && events[j + 1] === task && (events[j]! & Hot.TypeMask) === Hot.Enter && events[j + 3] === ((clock[0]! - chunkStart[0]!) | 0)) {
      events[j] = (events[j]! & ~Hot.TypeMask) | (outcome === Hot.Rejected ? Hot.SyncRejected : Hot.SyncFulfilled);
    } else {
      if (count === capacity) flush();
      const i = count++ << 2;
      events[i] = Hot.Exit | (outcome << Hot.TypeBits);
      events[i + 1] = task;
      events[i + 2] = 0;
      events[i + 3] = clock[0]! - chunkStart[0]!;
    }
  }
  if (current === task) current = stack[--depth]!;
}

function settleTail(task: number, outcome: number): void {
  emit(EventType.TaskExit | (outcome << Hot.TypeBits), task, 0);
}

/** return value: a task that returns a native promise ends when that promise settles. */
function rv<T>(task: number, line: number, value: T): T {
  if (value instanceof Promise) {
    emit(EventType.TaskSuspend | (line << Hot.TypeBits), task, 0);
    tailTask = task;
    value.then(
      () => settleTail(task, Outcome.Fulfilled),
      () => settleTail(task, Outcome.Rejected),
    );
  }
  return value;
}

/** for-await: each step of the loop waits on the iterator's next(). */
function fa<T>(task: number, line: number, iterable: AsyncIterable<T> | Iterable<T>): AsyncIterable<T> {
  const source = iterable as AsyncIterable<T> & Iterable<T>;
  const makeAsync = source[Symbol.asyncIterator];
  const isAsync = typeof makeAsync === 'function';
  const iterator: AsyncIterator<T> | Iterator<T> = isAsync ? makeAsync.call(source) : source[Symbol.iterator]();
  // A sync iterable's values are awaited one by one, as for-await itself would.
  const settle = (step: IteratorResult<T> | Promise<IteratorResult<T>>): Promise<IteratorResult<T>> =>
    isAsync
      ? Promise.resolve(step)
      : Promise.resolve((step as IteratorResult<T>).value).then((value) => ({ value, done: (step as IteratorResult<T>).done }) as IteratorResult<T>);
  const wrapped: AsyncIterator<T> & AsyncIterable<T> = {
    next(...args: [] | [unknown]) {
      // The loop body (or the code after the loop) resumes the task through rc.
      if (current === task) s(task, line, undefined);
      return settle(iterator.next(...args));
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  if (typeof iterator.return === 'function') {
    wrapped.return = (value?: unknown) => Promise.resolve(iterator.return!(value as T)) as Promise<IteratorResult<T>>;
  }
  if (typeof iterator.throw === 'function') {
    wrapped.throw = (error?: unknown) => Promise.resolve(iterator.throw!(error)) as Promise<IteratorResult<T>>;
  }
  return wrapped;
}

/** A module announces its async functions once; returns the id of its first one. */
function fns(file: string, functions: (string | number)[], ranges: number[]): number {
  if (onFirstModule !== null) {
    const start = onFirstModule;
    onFirstModule = null;
    start();
  }
  const first = nextFunctionId;
  nextFunctionId += functions.length / 3;
  onModule?.({ file, functions, ranges }, first);
  return first;
}

export const runtime = { e, s, r, rc, x, rv, fa, fns };
export type Runtime = typeof runtime;

/** What resources.ts and the exit path need besides the hot functions. */
export const recorder = {
  currentTask: (): number => current,
  /** Makes `task` current while a callback it scheduled runs (undone by leaveCallback). */
  enterCallbackOf(task: number): void {
    push(task);
  },
  leaveCallback(): void {
    pop();
  },
  newResource(type: number, task: number): number {
    const id = ++lastResourceId;
    emit(EventType.ResourceCreate | (type << Hot.TypeBits), id, task);
    return id;
  },
  resourceEvent(kind: number, id: number): void {
    // A callback starts after the loop woke up: read the time now rather than trust that the
    // helper thread has ticked since (one hrtime read per callback).
    if (kind === EventType.ResourceCallback && sharedClock !== null) tick(sharedClock);
    emit(kind, id, 0);
  },
  sample(type: number, value: number): void {
    emit(type, value, 0);
  },
  taskCount: (): number => lastTaskId,
};

export function connectRuntime(options: {
  sink: RuntimeSink;
  clock: SharedClock;
  onModule: (table: TaskFunctionTable, firstId: number) => void;
  /** The first user module starts evaluating: loading is over, the script begins. */
  onFirstModule: () => void;
}): void {
  onFirstModule = options.onFirstModule;
  sink = options.sink;
  events = options.sink.initialEvents;
  capacity = events.length >> 2;
  sharedClock = options.clock;
  clock = options.clock.words;
  onModule = options.onModule;
  warmUp();
  startChunk();
}

/**
 * Runs the hot functions on a scratch chunk until V8 has optimized them, with every branch
 * taken (a full chunk, a folded exit), before any user code runs. Cold, they run in the
 * interpreter while the script's first hundred thousand calls go by; with a branch never
 * taken, the optimized code deoptimizes the first time it is, inlined copies in the user's
 * functions with it (measured: both showed in the promise-heavy benchmark). Costs about a
 * millisecond of start-up, before time zero.
 */
function warmUp(): void {
  const realSink = sink;
  const realEvents = events;
  const realCapacity = capacity;
  const scratch = new Int32Array(new SharedArrayBuffer(WARM_UP_CHUNK * 16));
  sink = { initialEvents: scratch, flushEvents: (_base, chunk) => chunk };
  events = scratch;
  count = 0;
  for (let k = 0; k < WARM_UP_ROUNDS; k++) {
    // The rare branches are taken in the first rounds only: V8 must know them (or it
    // deoptimizes when they are taken) but see them rarely (or it inlines them, and the hot
    // functions become too big to be inlined themselves).
    const rare = k < WARM_UP_RARE_ROUNDS;
    // A prime capacity: the chunk fills up in every one of the functions in turn.
    capacity = rare ? 67 : WARM_UP_CHUNK;
    const outer = e(0);
    const task = e(0);
    const value = s(task, 1, k);
    r(task, value);
    rc(task);
    s(task, 1, k);
    rc(task);
    x(task, Outcome.Fulfilled);
    x(e(0), Outcome.Fulfilled);
    x(e(0), Outcome.Rejected);
    x(outer, Outcome.Fulfilled);
  }
  sink = realSink;
  events = realEvents;
  capacity = realCapacity;
  count = 0;
  lastTaskId = 0;
  current = 0;
  depth = 0;
  tailTask = 0;
}

/** For worker threads and disabled runs: the same API, recording nothing. */
export const inertRuntime: Runtime = {
  e: () => 0,
  s: (_t, _l, v) => v,
  r: (_t, v) => v,
  rc: () => {},
  x: () => {},
  rv: (_t, _l, v) => v,
  fa: (_t, _l, it) => it as AsyncIterable<never>,
  fns: () => 0,
};

// Exported for tests of the event encoding.
export const __internals = { events: () => events.subarray(0, count * 4) };
