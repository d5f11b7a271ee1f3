// The hot path: what instrumented code calls. Every call records one event into a typed
// array (a timestamp and three integers) and keeps track of which task is on the CPU.
//
// "Current task" follows the synchronous call stack: entering or resuming a task pushes it,
// suspending at an await or exiting pops it. A task resumed by a rejected await never runs its
// resume marker; the transform puts `rc` (resume if not current) at the top of catch and
// finally blocks, and `x` copes with a task that exits straight from a wait.
import { createClock, msOfWord, tick, type SharedClock } from './clock.js';
import { primordials } from './primordials.js';
import { EventType, Outcome } from '../contract/index.js';
import type { ModuleTable } from './transform.js';

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

/**
 * The recorder's state lives in one Int32Array, `mem`, over the clock's shared memory: the
 * clock words (clock.ts) first, then these words, then the task stack. A hot function then
 * loads and checks one array instead of a module variable per field (each costs a load, a tag
 * check and a map check in optimized code), and the fields are raw int32s, never re-tagged.
 */
const enum W {
  /** The clock word, ticked by another thread (clock.ts). */
  Clock = 0,
  /**
   * Clock word at the start of the current chunk: events store their distance from it. From
   * word 16 on: off the 64-byte cache line that the ticking thread writes.
   */
  ChunkStart = 16,
  /** Events in the current chunk, and its capacity. */
  Count = 17,
  Capacity = 18,
  /** Tasks on the stack below the current one. */
  Depth = 19,
  /** The task on the CPU (0: none); not 0 only while Depth > 0. */
  Current = 20,
  LastTask = 21,
  /** The task and line of the last return of a promise (rv), for x to name the wait. */
  TailTask = 22,
  TailLine = 24,
  /** Always 0: see the comment above e. */
  Ballast = 23,
  /** Function ids handed out so far (allocateFunctionIds; shared with the loader thread). */
  FunctionIds = 25,
  /** 1 once time zero was taken (z): the first user module started. */
  TimeZero = 26,
  /**
   * --hooks: the task async_hooks made for the promise created last, when nothing was recorded
   * after it (async-hooks-mode.ts); an instrumented async function that starts right then
   * claims it as its own promise (e), so that a call is not two tasks.
   */
  HooksPromise = 27,
  Stack = 32,
}
/** Words of the recorder's state that the recorder thread reads (recorder-worker.ts). */
export const SharedWords = { ChunkStart: W.ChunkStart, Count: W.Count } as const;

/** Size of the shared memory the clock must be created over (createRecorderClock). */
const MEMORY_WORDS = W.Stack + STACK_DEPTH;

export interface RuntimeSink {
  /** The array the first events go into (4 x i32 per event; its length sets the chunk size). */
  initialEvents: Int32Array<ArrayBufferLike>;
  /** Takes a chunk (full, or partial at a periodic flush) and returns the array to fill next. */
  flushEvents(base: number, events: Int32Array<ArrayBufferLike>, count: number): Int32Array<ArrayBufferLike>;
}

/** Bytes of the shared memory a recorder's clock needs: the clock words and the recorder's state. */
export const RECORDER_MEMORY_BYTES = MEMORY_WORDS * 4;

/** A clock whose shared memory also holds the recorder's state: what connectRuntime needs. */
export function createRecorderClock(): SharedClock {
  return createClock(new SharedArrayBuffer(RECORDER_MEMORY_BYTES));
}

let sink: RuntimeSink | null = null;
let sharedClock: SharedClock | null = null;
let mem: Int32Array<ArrayBufferLike> = new Int32Array(MEMORY_WORDS);

let events: Int32Array<ArrayBufferLike> = new Int32Array(16384 * 4);
/** performance.now() time of the chunk's start word: the chunk's base in the trace. */
let base = 0;

let lastResourceId = 0;
let onModule: ((table: ModuleTable) => void) | null = null;
let onTimeZero: (() => void) | null = null;

/**
 * Appends one event to the current chunk, handing the chunk on first if it is full. `m` is
 * `mem`, passed in: V8 reloads and rechecks a module variable after every typed-array store.
 */
function record(m: Int32Array<ArrayBufferLike>, word0: number, a: number, b: number): void {
  if (m[W.Count] === m[W.Capacity]) flush();
  const n = m[W.Count]!;
  m[W.Count] = n + 1;
  const ev = events;
  const i = n << 2;
  ev[i] = word0;
  ev[i + 1] = a;
  ev[i + 2] = b;
  ev[i + 3] = m[W.Clock]! - m[W.ChunkStart]!;
}

export function flush(): void {
  const count = mem[W.Count]!;
  if (sink !== null && count > 0) events = sink.flushEvents(base, events, count);
  mem[W.Count] = 0;
  startChunk();
}

function startChunk(): void {
  const word = mem[W.Clock]!;
  mem[W.ChunkStart] = word;
  base = sharedClock === null ? 0 : msOfWord(sharedClock, word);
}

function push(m: Int32Array<ArrayBufferLike>, task: number): void {
  const d = m[W.Depth]!;
  m[W.Stack + d] = m[W.Current]!;
  m[W.Depth] = d + 1;
  m[W.Current] = task;
}

function pop(m: Int32Array<ArrayBufferLike>): void {
  const d = m[W.Depth]!;
  if (d > 0) {
    m[W.Depth] = d - 1;
    m[W.Current] = m[W.Stack + d - 1]!;
  } else {
    m[W.Current] = 0;
  }
}

/** Ends the current task's stretch on the CPU, if `task` is the current one. */
function popIfCurrent(m: Int32Array<ArrayBufferLike>, task: number): void {
  if (m[W.Current] === task) pop(m);
}

/**
 * The four functions below run at every async call and await of the script. Each one is kept
 * too big for V8 to inline (it inlines callees under 460 bytes of bytecode) by a dead branch on
 * W.Ballast, which is always 0: inlined into every instrumented function, they doubled its
 * optimizing-compile time, and the script ran unoptimized code meanwhile (measured on the
 * promise-heavy benchmark: 2.05x bare inlined, 1.88x out of line). Out of line, each is one
 * call into code optimized once, at warm-up, with record, push and popIfCurrent inlined.
 */
/** enter: a call of an async function starts a task. */
function e(fn: number): number {
  const m = mem;
  if (m[W.Ballast] !== 0) m[W.Ballast] = m[0]! + m[1]! + m[2]! + m[3]! + m[4]! + m[5]! + m[6]! + m[7]! + m[8]! + m[9]! + m[10]! + m[11]! + m[12]! + m[13]! + m[14]! + m[15]! + m[16]! + m[17]! + m[18]! + m[19]! + m[20]! + m[21]! + m[22]! + m[23]! + m[24]! + m[25]! + m[26]! + m[27]! + m[28]! + m[29]! + m[30]! + m[31]! + m[32]! + m[33]! + m[34]! + m[35]! + m[36]! + m[37]! + m[38]! + m[39]! + m[40]! + m[41]! + m[42]! + m[43]! + m[44]! + m[45]! + m[46]! + m[47]! + m[48]! + m[49]! + m[50]! + m[51]! + m[52]! + m[53]! + m[54]! + m[55]! + m[56]! + m[57]! + m[58]! + m[59]! + m[60]! + m[61]! + m[62]! + m[63]!;
  if (m[W.HooksPromise] !== 0) claimHooksPromise(m);
  const id = (m[W.LastTask]! + 1) | 0;
  m[W.LastTask] = id;
  record(m, Hot.Enter | (fn << Hot.TypeBits), id, m[W.Current]!);
  push(m, id);
  return id;
}

/**
 * --hooks: the promise async_hooks saw created just before this call is the call's own. Its
 * task's two events (created, then waiting) are the chunk's last two, which the recorder
 * thread never writes early (recorder-worker.ts): take them back.
 */
function claimHooksPromise(m: Int32Array<ArrayBufferLike>): void {
  const task = m[W.HooksPromise]!;
  m[W.HooksPromise] = 0;
  const n = m[W.Count]!;
  const ev = events;
  const a = (n - 2) << 2;
  const b = (n - 1) << 2;
  if (n >= 2 && ev[a + 1] === task && (ev[a]! & Hot.TypeMask) === Hot.Enter && ev[b + 1] === task && (ev[b]! & Hot.TypeMask) === Hot.Suspend) {
    m[W.Count] = n - 2;
    onHooksPromiseClaimed?.(task);
  }
}

let onHooksPromiseClaimed: ((task: number) => void) | null = null;

/** async-hooks-mode.ts: a promise task `task` was just made; `claimed` hears when a call takes it back. */
export function offerHooksPromise(task: number, claimed: (task: number) => void): void {
  onHooksPromiseClaimed = claimed;
  mem[W.HooksPromise] = task;
}

/** suspend: the task reaches an await (after its operand was evaluated). */
function s<T>(task: number, line: number, value: T): T {
  const m = mem;
  if (m[W.Ballast] !== 0) m[W.Ballast] = m[0]! + m[1]! + m[2]! + m[3]! + m[4]! + m[5]! + m[6]! + m[7]! + m[8]! + m[9]! + m[10]! + m[11]! + m[12]! + m[13]! + m[14]! + m[15]! + m[16]! + m[17]! + m[18]! + m[19]! + m[20]! + m[21]! + m[22]! + m[23]! + m[24]! + m[25]! + m[26]! + m[27]! + m[28]! + m[29]! + m[30]! + m[31]! + m[32]! + m[33]! + m[34]! + m[35]! + m[36]! + m[37]! + m[38]! + m[39]! + m[40]! + m[41]! + m[42]! + m[43]! + m[44]! + m[45]! + m[46]! + m[47]! + m[48]! + m[49]! + m[50]! + m[51]! + m[52]! + m[53]! + m[54]! + m[55]! + m[56]! + m[57]! + m[58]! + m[59]! + m[60]! + m[61]! + m[62]! + m[63]!;
  record(m, Hot.Suspend | (line << Hot.TypeBits), task, 0);
  popIfCurrent(m, task);
  return value;
}

/** resume: the await finished normally. */
function r<T>(task: number, value: T): T {
  const m = mem;
  if (m[W.Ballast] !== 0) m[W.Ballast] = m[0]! + m[1]! + m[2]! + m[3]! + m[4]! + m[5]! + m[6]! + m[7]! + m[8]! + m[9]! + m[10]! + m[11]! + m[12]! + m[13]! + m[14]! + m[15]! + m[16]! + m[17]! + m[18]! + m[19]! + m[20]! + m[21]! + m[22]! + m[23]! + m[24]! + m[25]! + m[26]! + m[27]! + m[28]! + m[29]! + m[30]! + m[31]! + m[32]! + m[33]! + m[34]! + m[35]! + m[36]! + m[37]! + m[38]! + m[39]! + m[40]! + m[41]! + m[42]! + m[43]! + m[44]! + m[45]! + m[46]! + m[47]! + m[48]! + m[49]! + m[50]! + m[51]! + m[52]! + m[53]! + m[54]! + m[55]! + m[56]! + m[57]! + m[58]! + m[59]! + m[60]! + m[61]! + m[62]! + m[63]!;
  record(m, Hot.Resume, task, 0);
  push(m, task);
  return value;
}

/** resume-if-suspended: top of catch and finally blocks, and after for-await loops. */
function rc(task: number): void {
  if (mem[W.Current] !== task) r(task, undefined);
}

/**
 * exit: the body returned or threw. `value` is what it returned last: a promise or thenable
 * makes the task end when that settles (see rv), not now. A task that exits right after its
 * own Enter event, at the same clock reading, becomes one TaskSync event: the Enter is
 * rewritten in place (most leaf async calls; halves their events).
 */
function x(task: number, outcome: number, value: unknown): void {
  const m = mem;
  if (m[W.Ballast] !== 0) m[W.Ballast] = m[0]! + m[1]! + m[2]! + m[3]! + m[4]! + m[5]! + m[6]! + m[7]! + m[8]! + m[9]! + m[10]! + m[11]! + m[12]! + m[13]! + m[14]! + m[15]! + m[16]! + m[17]! + m[18]! + m[19]! + m[20]! + m[21]! + m[22]! + m[23]! + m[24]! + m[25]! + m[26]! + m[27]! + m[28]! + m[29]! + m[30]! + m[31]! + m[32]! + m[33]! + m[34]! + m[35]! + m[36]! + m[37]! + m[38]! + m[39]! + m[40]! + m[41]! + m[42]! + m[43]! + m[44]! + m[45]! + m[46]! + m[47]! + m[48]! + m[49]! + m[50]! + m[51]! + m[52]! + m[53]! + m[54]! + m[55]! + m[56]! + m[57]! + m[58]! + m[59]! + m[60]! + m[61]! + m[62]! + m[63]!;
  if (outcome !== Hot.Rejected && typeof value === 'object' && value !== null && waitsOnReturn(task, value)) {
    popIfCurrent(m, task);
    return;
  }
  const ev = events;
  const n = m[W.Count]!;
  const j = (n - 1) << 2;
  if (n > 0 && ev[j + 1] === task && (ev[j]! & Hot.TypeMask) === Hot.Enter && ev[j + 3] === m[W.Clock]! - m[W.ChunkStart]!) {
    ev[j] = (ev[j]! & ~Hot.TypeMask) | (outcome === Hot.Rejected ? Hot.SyncRejected : Hot.SyncFulfilled);
  } else {
    record(m, Hot.Exit | (outcome << Hot.TypeBits), task, 0);
  }
  popIfCurrent(m, task);
}

function settleTail(task: number, outcome: number): void {
  record(mem, EventType.TaskExit | (outcome << Hot.TypeBits), task, 0);
}

/** What a task that returned `value` last waits on, if anything: a native promise or a thenable. */
function waitsOnReturn(task: number, value: object): boolean {
  const returnLine = mem[W.TailTask] === task ? mem[W.TailLine]! : 0;
  if (TailThenable.is(value)) {
    if (!value.arm(task)) return false;
  } else if (isNativePromise(value)) {
    // The async function's own promise takes on this one: the task ends when it settles. The
    // built-in then, never one the program installed, and no rejection can go unhandled
    // because of it: the async function's resolution adds a handler to the promise anyway.
    primordials.promiseThen(value as Promise<unknown>, () => settleTail(task, Outcome.Fulfilled), () => settleTail(task, Outcome.Rejected));
  } else {
    return false;
  }
  record(mem, EventType.TaskSuspend | (returnLine << Hot.TypeBits), task, 0);
  return true;
}

function isNativePromise(value: object): boolean {
  return primordials.isPromise(value) && primordials.getPrototypeOf(value) === primordials.PromisePrototype && !primordials.hasOwn(value, 'then');
}

/**
 * Returned in place of a thenable that is not a native promise (a promise subclass, a lazy query
 * object): the async function's resolution calls this object's then once, which calls the
 * thenable's own then once, exactly as it would have been called bare, and learns when it
 * settles. `armed` is set by x when this is what the function really returned (a finally block
 * may return something else, and then nothing is ever called).
 */
class TailThenable {
  #task = 0;

  /** A brand check: never runs a proxy's traps, as instanceof would. */
  static is(value: object): value is TailThenable {
    return #task in value;
  }

  constructor(
    private readonly target: object,
    private readonly targetThen: (...args: unknown[]) => unknown,
  ) {}

  arm(task: number): boolean {
    if (this.#task !== 0) return false;
    this.#task = task;
    return true;
  }

  then(onFulfilled: (value: unknown) => unknown, onRejected: (reason: unknown) => unknown): unknown {
    const task = this.#task;
    return primordials.apply(this.targetThen, this.target, [
      (value: unknown) => {
        if (task !== 0) settleTail(task, Outcome.Fulfilled);
        return onFulfilled(value);
      },
      (reason: unknown) => {
        if (task !== 0) settleTail(task, Outcome.Rejected);
        return onRejected(reason);
      },
    ]);
  }
}

/**
 * return value: the expression of a `return` that may be a promise or a thenable. Native
 * promises pass through (x watches them); other thenables are wrapped once (TailThenable) so
 * that their then is called exactly once, as it would be bare. Nothing of the program's runs
 * here: `then` is looked up without calling getters (thenOf), and proxies are left alone.
 */
function rv<T>(task: number, line: number, value: T): T {
  if (typeof value !== 'object' || value === null) {
    if (typeof value !== 'function') return value;
  }
  if (primordials.isProxy(value)) return value;
  mem[W.TailTask] = task;
  mem[W.TailLine] = line;
  if (value instanceof Promise && isNativePromise(value)) return value;
  const then = thenOf(value as object);
  if (typeof then !== 'function') return value;
  return new TailThenable(value as object, then as (...args: unknown[]) => unknown) as unknown as T;
}

/**
 * The `then` of a value, found without running anything of the program's: a `then` getter (or a
 * proxy) would run once more than it does bare, so such a value is not looked into (its task
 * ends when the function returns).
 */
function thenOf(value: object): unknown {
  if (primordials.isProxy(value)) return undefined;
  for (let o: object | null = value; o !== null; o = primordials.getPrototypeOf(o) as object | null) {
    if (primordials.isProxy(o)) return undefined;
    const descriptor = primordials.getOwnPropertyDescriptor(o, 'then');
    if (descriptor !== undefined) return 'value' in descriptor ? descriptor.value : undefined;
  }
  return undefined;
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
  // Read once, as the loop itself reads it when it starts.
  const nextMethod = iterator.next;
  const wrapped: AsyncIterator<T> & AsyncIterable<T> = {
    next(...args: [] | [unknown]) {
      // The loop body (or the code after the loop) resumes the task through rc.
      if (mem[W.Current] === task) s(task, line, undefined);
      return settle(primordials.apply(nextMethod, iterator, args) as IteratorResult<T> | Promise<IteratorResult<T>>);
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

/**
 * Reserves `count` function ids (process-wide, from 1). The loader thread shares the counter
 * (through the recorder's shared memory), so modules compiled there and here never collide.
 */
export function allocateFunctionIds(words: Int32Array<ArrayBufferLike>, count: number): number {
  return Atomics.add(words, W.FunctionIds, count) + 1;
}

export function timeZeroTaken(words: Int32Array<ArrayBufferLike>): boolean {
  return Atomics.load(words, W.TimeZero) !== 0;
}

/** module: code instrumented where nothing can write its table (the vite plugin) announces it. */
function m(table: ModuleTable): void {
  onModule?.(table);
}

/** time zero: the first user module starts evaluating (preload, cjs-hooks, loader-hooks). */
function z(): void {
  if (Atomics.compareExchange(mem, W.TimeZero, 0, 1) !== 0) return;
  onTimeZero?.();
}

export const runtime = { e, s, r, rc, x, rv, fa, m, z };
export type Runtime = typeof runtime;

/** What resources.ts and the exit path need besides the hot functions. */
export const recorder = {
  currentTask: (): number => mem[W.Current]!,
  /** Makes `task` current while a callback it scheduled runs (undone by leaveCallback). */
  enterCallbackOf(task: number): void {
    push(mem, task);
  },
  leaveCallback(): void {
    pop(mem);
  },
  newResource(type: number, task: number): number {
    const id = ++lastResourceId;
    record(mem, EventType.ResourceCreate | (type << Hot.TypeBits), id, task);
    return id;
  },
  /**
   * A resource whose creation is the start of something measured from it (an HTTP request read
   * off its socket): the time is read now, as for a callback, since the loop has just woken up.
   */
  newResourceNow(type: number, task: number): number {
    if (sharedClock !== null) tick(sharedClock);
    return recorder.newResource(type, task);
  },
  /** The route an HTTP request's resource answered (route ids: request-routes.ts), as its response finished. */
  requestRoute(id: number, route: number): void {
    // The response's end follows at this reading (the request's span is measured to it).
    if (sharedClock !== null) tick(sharedClock);
    record(mem, EventType.RequestRoute | (route << Hot.TypeBits), id, 0);
  },
  resourceEvent(kind: number, id: number): void {
    // A callback starts after the loop woke up: read the time now rather than trust that the
    // helper thread has ticked since (one hrtime read per callback).
    if (kind === EventType.ResourceCallback && sharedClock !== null) tick(sharedClock);
    record(mem, kind, id, 0);
  },
  /** A promise resource settled: its callback and its end, at one clock reading. */
  resourceSettled(id: number): void {
    if (sharedClock !== null) tick(sharedClock);
    record(mem, EventType.ResourceCallback, id, 0);
    record(mem, EventType.ResourceEnd, id, 0);
  },
  /** A lag or utilization sample, taken in a timer callback of ours: the time now, as for a callback. */
  sample(type: number, value: number): void {
    if (sharedClock !== null) tick(sharedClock);
    record(mem, type, value, 0);
  },
  /** A message event (EventType.Message*): x the channel kind or number, a and b as the type says. */
  message(type: number, x: number, a: number, b: number): void {
    // Delivered after the loop woke up: the time now, as for a resource callback.
    if (type === EventType.MessageReceive && sharedClock !== null) tick(sharedClock);
    record(mem, type | (x << Hot.TypeBits), a, b);
  },
  taskCount: (): number => mem[W.LastTask]!,
};

export function connectRuntime(options: {
  sink: RuntimeSink;
  clock: SharedClock;
  /** A module table announced through the runtime (m). */
  onModule: (table: ModuleTable) => void;
  /** The first user module starts evaluating: loading is over, the script begins (z). */
  onTimeZero: () => void;
}): void {
  onTimeZero = options.onTimeZero;
  const words = options.clock.words;
  if (words.buffer.byteLength < RECORDER_MEMORY_BYTES) throw new Error('connectRuntime needs a clock from createRecorderClock()');
  mem = new Int32Array(words.buffer, words.byteOffset, MEMORY_WORDS);
  sink = options.sink;
  events = options.sink.initialEvents;
  mem[W.Capacity] = events.length >> 2;
  sharedClock = options.clock;
  onModule = options.onModule;
  warmUp();
  startChunk();
}

/**
 * Runs the hot functions on a scratch chunk until V8 has optimized them, with every branch
 * taken (a full chunk, a folded exit), before any user code runs. Cold, they run in the
 * interpreter while the script's first hundred thousand calls go by; with a branch never
 * taken, the optimized code deoptimizes the first time it is (measured: both showed in the
 * promise-heavy benchmark). Costs a few milliseconds of start-up, before time zero.
 */
function warmUp(): void {
  const realSink = sink;
  const realEvents = events;
  const realCapacity = mem[W.Capacity]!;
  const scratch = new Int32Array(new SharedArrayBuffer(WARM_UP_CHUNK * 16));
  sink = { initialEvents: scratch, flushEvents: (_base, chunk) => chunk };
  events = scratch;
  mem[W.Count] = 0;
  for (let k = 0; k < WARM_UP_ROUNDS; k++) {
    // The rare branches are taken in the first rounds only: V8 must know them (or it
    // deoptimizes when they are taken) but see them rarely (or it inlines flush() into them).
    const rare = k < WARM_UP_RARE_ROUNDS;
    // A prime capacity: the chunk fills up in every one of the functions in turn.
    mem[W.Capacity] = rare ? 67 : WARM_UP_CHUNK;
    const outer = e(0);
    const task = e(0);
    const value = s(task, 1, k);
    r(task, value);
    rc(task);
    s(task, 1, k);
    rc(task);
    x(task, Outcome.Fulfilled, undefined);
    x(e(0), Outcome.Fulfilled, k);
    x(e(0), Outcome.Rejected, undefined);
    x(outer, Outcome.Fulfilled, undefined);
  }
  sink = realSink;
  events = realEvents;
  mem.fill(0, W.ChunkStart, W.FunctionIds);
  mem[W.HooksPromise] = 0;
  mem[W.Capacity] = realCapacity;
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
  m: () => {},
  z: () => {},
};

// Exported for tests of the event encoding.
export const __internals = { events: () => events.subarray(0, mem[W.Count]! * 4) };
