// Entry point inside the profiled process. `async-prof run` starts the script the way it would
// run bare and adds only this file: `node --require preload.cjs script.js` for JavaScript,
// `node --require tsx/preflight.cjs --import tsx/loader.mjs --import preload.js script.ts` (what
// tsx itself runs) for TypeScript, TSX and JSX. In this order it sets up: the built-ins it needs
// (before the program can replace them), the trace and the recorder, the module hooks that
// instrument the program's own files, what keeps the profiler invisible to the program
// (fidelity/), resource tracking, the sampling profiler, and the end of the trace at exit.
import { hrOriginMs, primordials } from './primordials.js';
import { register } from 'node:module';
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, getEnvironmentData, isMainThread, parentPort, setEnvironmentData, threadId } from 'node:worker_threads';
import { recordThroughAsyncHooks } from './async-hooks-mode.js';
import { installCompileHook, type CompileHookOptions } from './cjs-hooks.js';
import { isOwnResource, ownCallback } from './own-callbacks.js';
import { tick } from './clock.js';
import { handClockAround, retireClock, takeHandedClock } from './shared-clock.js';
import { startEventPipe } from './event-pipe.js';
import { disguiseAs, installStackTraceFidelity } from './fidelity/stack-trace.js';
import { installToStringFidelity } from './fidelity/to-string.js';
import { hideOwnExecArgv } from './fidelity/exec-argv.js';
import { carryFlagsIntoWorkers } from './fidelity/worker-flags.js';
import { carryProfilerIntoNodeChildren } from './fidelity/child-processes.js';
import { recordMessages } from './messages.js';
import { excludeFromLag, startLagProbe } from './lag.js';
import type { LoaderHookData } from './loader-hooks.js';
import { connectRegistry, drainLoaderMessages } from './module-registry.js';
import { startSamplingProfiler, type ProfilerHandle } from './profiler.js';
import {
  DEFAULT_BLOCKING_THRESHOLD_MS,
  DEFAULT_CLOCK_TICK_US,
  DEFAULT_MAX_TRACE_BYTES,
  DEFAULT_SAMPLING_INTERVAL_US,
  DEFAULT_WORKER_SAMPLING_INTERVAL_US,
  ENV,
  EventType,
  LAG_INTERVAL_MS,
  RUNTIME_GLOBAL,
  RecordKind,
  THREAD_SETTINGS_KEY,
  buildMeta,
  threadPartPath,
} from '../contract/index.js';
import { trackResources } from './resources.js';
import { allocateFunctionIds, connectRuntime, createRecorderClock, flush, inertRuntime, recorder, runtime } from './runtime.js';
import { parseModuleList, type InstrumentScope } from './scope.js';
import { TraceWriter } from './trace-writer.js';
import { installVmHook } from './vm-hooks.js';

const here = dirname(fileURLToPath(import.meta.url));
// Our variables, read once: the program's environment loses them right below.
// A worker thread gets them from the thread that started it (worker_threads' environment data,
// which every new worker inherits), not from process.env: a program may give its workers an env
// of its own, and the variables were taken out of the main thread's environment below.
const env: Record<string, string | undefined> = {};
// Node's own threads (the module hooks thread that register() starts, in the main thread and in
// each worker that registers hooks) inherit the flags and the data too; unlike a program's worker
// they have no parentPort.
const fromParentThread = isMainThread || parentPort === null ? undefined : threadSettings();
for (const name of Object.values(ENV)) env[name] = fromParentThread !== undefined ? fromParentThread[name] : process.env[name];
const recordsWorkers = env[ENV.workers] !== '0';
const tracePath = isMainThread ? env[ENV.trace] : fromParentThread !== undefined && recordsWorkers && env[ENV.trace] ? threadPartPath(env[ENV.trace]!, threadId) : undefined;
const recording = Boolean(tracePath) && env[ENV.enabled] !== '0';
const instrumenting = env[ENV.enabled] !== '0';
// With its trailing separator: a prefix test must not take a sibling such as `dist-old/` or a
// user file `dist.ts` next to it for the profiler's own code.
const ownDir = dirname(here) + sep;
const scope: InstrumentScope = { ownDir, modules: parseModuleList(env[ENV.instrumentModules]) };
const cwd = env[ENV.cwd] || process.cwd();

function numberFrom(name: string, fallback: number): number {
  const value = Number(env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

// The program sees the environment it was started with: nothing of ours. Node processes it
// starts inherit that environment; the ones recorded get ours back (child-processes.ts).
for (const name of Object.values(ENV)) delete process.env[name];
// A recorded child process: NODE_OPTIONS as its parent gave it (the preload came in through it).
if (isMainThread && env[ENV.nodeOptions] !== undefined) {
  if (env[ENV.nodeOptions] === '') delete process.env.NODE_OPTIONS;
  else process.env.NODE_OPTIONS = env[ENV.nodeOptions];
}

const FLUSH_EVERY_MS = 500;
const WORKER_START_WAIT_MS = 5000;

// Worker threads inherit the flags that load this file: they see the program's own too.
const ownFlags = hideOwnExecArgv(here);
// Loaded with --require, this file would stay in the program's require.cache.
declare const __filename: string | undefined;
if (typeof __filename === 'string' && typeof require === 'function') delete require.cache[__filename];
if (isMainThread || recording) {
  // Non-enumerable: the program's Object.keys(globalThis) stays what it is bare.
  primordials.defineProperty(globalThis, RUNTIME_GLOBAL, { value: recording ? runtime : inertRuntime, enumerable: false, configurable: false, writable: false });
  // Worker threads started from here (and from them) record themselves into parts of this trace.
  if (recording && recordsWorkers) handSettingsToWorkers();
  const recorderOfThis = recording ? startRecording(tracePath!) : undefined;
  // Messages to and from other threads and processes, for the arrows between their tasks.
  const messages = recording ? recordMessages({ isMainThread }) : null;
  // After startRecording: the recorder's own thread (execArgv: []) must not load the preload.
  if (recording && recordsWorkers) carryFlagsIntoWorkers(ownFlags, { aroundConstruct: recorderOfThis?.aroundWorkerConstruct, onStarted: messages?.workerStarted });
  if (recording && isMainThread && env[ENV.children] !== '0') {
    carryProfilerIntoNodeChildren({ preloadCjs: join(here, 'preload.cjs'), tracePath: tracePath!, env: { ...env, [ENV.nodeOptions]: undefined } });
  }
}

/** The settings a recording thread handed on (handSettingsToWorkers), or undefined. */
function threadSettings(): Record<string, string | undefined> | undefined {
  try {
    const value = getEnvironmentData(THREAD_SETTINGS_KEY);
    return typeof value === 'object' && value !== null ? (value as Record<string, string | undefined>) : undefined;
  } catch {
    return undefined;
  }
}

function handSettingsToWorkers(): void {
  try {
    // The main thread's trace path: each worker names its own part after it (threadPartPath).
    setEnvironmentData(THREAD_SETTINGS_KEY, { ...env });
  } catch {
    // Workers then run unrecorded, as they would bare.
  }
}

/** µs between profile samples in this thread; 0: off (then off in every thread). */
function samplingIntervalOfThisThread(): number {
  if (env[ENV.samplingInterval] === '0') return 0;
  const main = numberFrom(ENV.samplingInterval, DEFAULT_SAMPLING_INTERVAL_US);
  if (isMainThread) return main;
  return env[ENV.workerSamplingInterval] === '0' ? 0 : numberFrom(ENV.workerSamplingInterval, Math.max(main, DEFAULT_WORKER_SAMPLING_INTERVAL_US));
}

function startRecording(path: string): { aroundWorkerConstruct: <T>(construct: () => T) => T } {
  const samplingIntervalUs = samplingIntervalOfThisThread();
  const clockTickUs = numberFrom(ENV.clockTick, DEFAULT_CLOCK_TICK_US);
  const maxBytes = numberFrom(ENV.maxTraceBytes, DEFAULT_MAX_TRACE_BYTES);
  // A write that fails (a full disk) turns recording off; the program goes on as it would bare.
  let stopRecording = () => {};
  const writer = new TraceWriter(path, maxBytes, { onFailure: () => stopRecording(), reopenWhenReplaced: env[ENV.rotate] === '1' });
  const originMs = primordials.now();
  writer.writeJson(
    RecordKind.Meta,
    buildMeta({
      script: process.argv[1] ?? '',
      args: process.argv.slice(2),
      cwd,
      startEpochMs: primordials.dateNow(),
      originMs,
      // performance.now() + hrOriginMs = the monotonic clock V8's profiler uses, in ms.
      hrOriginMs: hrOriginMs(),
      // The analysis's default; `report --blocking-threshold` analyses the trace with another.
      blockingThresholdMs: DEFAULT_BLOCKING_THRESHOLD_MS,
      samplingIntervalUs,
      clockTickUs,
      // Frames from here are the profiler's own work, not the script's.
      profilerDir: ownDir,
      ...(isMainThread ? {} : { threadId }),
    }),
  );
  const warn = (message: string) => writer.writeJson(RecordKind.Error, { origin: 'async-prof', name: 'Warning', message });

  let droppedHere = 0;
  // A worker's clock is ticked by the recorder of the thread that started it, if it handed one.
  const handedClock = isMainThread ? undefined : takeHandedClock();
  const clock = handedClock ?? createRecorderClock();
  const pipe = startEventPipe({
    workerFile: join(here, 'recorder-worker.js'),
    tracePath: path,
    clock,
    tickUs: clockTickUs,
    maxBytes,
    startBytes: writer.size,
    followRotation: env[ENV.rotate] === '1',
    clockTickedElsewhere: handedClock !== undefined,
    writeChunk(base, events, from, count, seq) {
      if (!writer.writeEventChunk(seq, base, events.subarray(from * 4, count * 4), count - from, droppedHere)) droppedHere += count - from;
    },
  });
  const dropped = () => droppedHere + pipe.dropped();
  const writeTable = (table: object) => writer.writeJson(RecordKind.Module, table);

  let startScript = () => {};
  connectRuntime({ clock, sink: pipe, onModule: writeTable, onTimeZero: () => startScript() });
  pipe.arm();
  if (env[ENV.hooks] === '1') recordThroughAsyncHooks({ allocateIds: (count) => allocateFunctionIds(words, count), announce: writeTable, isOwn: isOwnResource });
  // The whole shared memory of the recorder (function ids, the time-zero flag: runtime.ts).
  const words = new Int32Array(clock.words.buffer);

  // Module hooks: ES modules in Node's loader thread, CommonJS here.
  const channel = new MessageChannel();
  connectRegistry({ port: channel.port1, onTable: writeTable, onWarning: warn });
  if (instrumenting) {
    const data: LoaderHookData = {
      scope,
      words,
      port: channel.port2,
      timeZeroUrl: `data:text/javascript,globalThis.${RUNTIME_GLOBAL}.z()`,
    };
    register(pathToFileURL(join(here, 'loader-hooks.js')), { data, transferList: [channel.port2] });
    const compileHook: CompileHookOptions = {
      scope,
      allocateIds: (count) => allocateFunctionIds(words, count),
      beforeFirstProgramFile: () => runtime.z(),
      warn,
      ownWork: excludeFromLag,
    };
    installCompileHook(compileHook);
    // Modules a runner evaluates itself (vitest's test files in its workers).
    installVmHook(compileHook);
  }
  installToStringFidelity();
  installStackTraceFidelity(ownDir);

  const timers = trackResources({ announceRoutes: (firstId, names) => writer.writeJson(RecordKind.Routes, { firstId, names }) });
  let stopLag = () => {};
  let eluStart = primordials.eventLoopUtilization();
  const utilization = () => primordials.eventLoopUtilization(eluStart).utilization;
  startScript = () => {
    // Event times come from the clock the worker ticks: it must be running before the script
    // (a handed clock is ticked already: the starting thread's recorder runs).
    if (handedClock === undefined && !pipe.waitForWorker(WORKER_START_WAIT_MS)) {
      warn(`the recorder thread did not start within ${WORKER_START_WAIT_MS} ms: event times are coarser (1 ms ticks from the main thread)`);
    }
    // Time zero of the run: module loading (and our loader's warm-up) is over. The clock word is
    // moved to now after reading it, so that no event of the script is stamped before time zero
    // (a worker thread kept waiting by a loaded machine leaves the word milliseconds behind).
    const atMs = primordials.now();
    tick(clock);
    writer.writeJson(RecordKind.Start, { atMs });
    eluStart = primordials.eventLoopUtilization();
    stopLag = startLagProbe(timers, LAG_INTERVAL_MS);
  };

  let profiler: ProfilerHandle | null = null;
  if (samplingIntervalUs > 0) {
    profiler = startSamplingProfiler({ intervalUs: samplingIntervalUs, write: (chunk) => writer.writeJson(RecordKind.Profile, chunk), warn });
  }

  // performance.mark / measure calls of the script: markers and phases in the timeline.
  const marks = (entries: PerformanceEntry[]) => {
    if (entries.length === 0) return;
    writer.writeJson(RecordKind.Marks, {
      entries: entries.map((e) => ({ name: e.name, entryType: e.entryType, startTime: e.startTime, duration: e.duration })),
    });
  };
  const markObserver = new PerformanceObserver((list) => marks(list.getEntries()));
  markObserver.observe({ entryTypes: ['mark', 'measure'] });

  let periodicTimer: NodeJS.Timeout | null = null;
  const periodic = ownCallback(() => {
    recorder.sample(EventType.Utilization, Math.round(utilization() * 1e6));
    flush();
    drainLoaderMessages();
    if (pipe.writeFailure() !== null) stopRecording();
    else periodicTimer = timers.setTimeout(periodic, FLUSH_EVERY_MS).unref();
  });
  periodicTimer = timers.setTimeout(periodic, FLUSH_EVERY_MS).unref();
  // Nothing more can be written: the profiler's own timers and sampling stop; the runtime's
  // calls go on filling a ring nobody writes out, which costs what it cost before.
  stopRecording = () => {
    stopLag();
    if (periodicTimer !== null) timers.clearTimeout(periodicTimer);
    periodicTimer = null;
    profiler?.stop();
    profiler = null;
  };

  let finished = false;
  const finish = (exitCode: number | null) => {
    if (finished) return;
    finished = true;
    // Before the profiler's own exit work, which is not the script's.
    const elu = utilization();
    stopLag();
    marks(markObserver.takeRecords());
    markObserver.disconnect();
    recorder.sample(EventType.Utilization, Math.round(elu * 1e6));
    flush();
    drainLoaderMessages();
    pipe.close();
    retireClock(clock.words);
    profiler?.finish();
    writer.writeJson(RecordKind.End, {
      exitCode,
      signal: null,
      endMs: primordials.now(),
      elu,
      dropped: dropped(),
      tasks: recorder.taskCount(),
    });
    writer.close();
  };

  onProcessEvents({
    exit: finish,
    uncaughtException(error, origin) {
      writer.writeJson(RecordKind.Error, { origin, atMs: primordials.now(), ...describeError(error) });
    },
  });
  // Node starts the module hooks thread and the recorder's worker with callbacks queued for the
  // next tick: run them now, before the program's first line, so that its own first ticks and
  // microtasks run exactly as they would bare (from the same place, in the same order). Under
  // tsx the preload is an ES module evaluated among tsx's own, whose ticks are tsx's business.
  if (env[ENV.runtime] === 'node') (process as unknown as { _tickCallback?: () => void })._tickCallback?.();
  // A thread whose own clock another recorder ticks has a stand-in ticker, not one to share: the
  // workers it starts tick their own clocks.
  const ownTicking = handedClock === undefined;
  return { aroundWorkerConstruct: ownTicking ? handClockAround(clock.originNs, (buffer) => pipe.adoptClock(buffer)) : (construct) => construct() };
}

/**
 * The process events the profiler needs, seen as process.emit sends them, without listeners the
 * program could count or that would change what an event does: 'exit' (after every listener of
 * the program, so that the trace holds what they did and the exit code they set) and
 * 'uncaughtExceptionMonitor' (Node emits it before it reports an uncaught exception or an
 * unhandled rejection). Signals are not caught at all, so that they do to the program exactly
 * what they do bare; the recorder has written all but the last moments by then, and the CLI
 * seals the trace with how the process ended.
 */
function onProcessEvents(on: { exit(exitCode: number | null): void; uncaughtException(error: unknown, origin: unknown): void }): void {
  const originalEmit = process.emit;
  // Named as the original: its frame is taken out of stack traces, its text is the original's.
  const emit = function emit(this: NodeJS.Process, event: string | symbol) {
    if (event === 'uncaughtExceptionMonitor' && this === process) {
      try {
        on.uncaughtException(arguments[1], arguments[2]);
      } catch {
        // The profiler never adds a failure of its own to the program's.
      }
    }
    try {
      return primordials.apply(originalEmit as (...args: unknown[]) => unknown, this, primordials.arrayFrom(arguments));
    } finally {
      if (event === 'exit' && this === process) {
        try {
          on.exit(typeof process.exitCode === 'number' ? process.exitCode : null);
        } catch {
          // The profiler never adds a failure of its own to the program's.
        }
      }
    }
  };
  disguiseAs(emit, originalEmit);
  primordials.defineProperty(process, 'emit', { value: emit, writable: true, enumerable: false, configurable: true });
}

/** What a thrown value says about itself, read without letting it throw at us. */
function describeError(error: unknown): { name: string; message: string; stack: string | null } {
  const read = (key: 'name' | 'message' | 'stack'): unknown => {
    try {
      return (error as Record<string, unknown>)?.[key];
    } catch {
      return undefined;
    }
  };
  const text = (value: unknown, fallback: string): string => {
    if (typeof value === 'string') return value;
    try {
      return value === undefined ? fallback : primordials.String(value);
    } catch {
      return fallback;
    }
  };
  const isObject = typeof error === 'object' && error !== null;
  return {
    name: isObject ? text(read('name'), 'Error') : typeof error,
    message: isObject ? text(read('message'), '') : text(error, ''),
    stack: isObject && typeof read('stack') === 'string' ? (read('stack') as string) : null,
  };
}
