// Entry point inside the profiled process (`node --import <this> script.ts`). Sets up, in this
// order: the trace file, the runtime that instrumented code calls, resource tracking, the lag
// probe, the sampling profiler, the module loaders, and the exit paths that close the trace.
import { register } from 'node:module';
import { PerformanceObserver, performance, type PerformanceEntry } from 'node:perf_hooks';
import { constants } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { installRequireHooks } from './cjs-hooks.js';
import { tick } from './clock.js';
import { startEventPipe } from './event-pipe.js';
import { startLagProbe } from './lag.js';
import { SamplingProfiler } from './profiler.js';
import {
  DEFAULT_BLOCKING_THRESHOLD_MS,
  DEFAULT_CLOCK_TICK_US,
  DEFAULT_MAX_TRACE_BYTES,
  DEFAULT_SAMPLING_INTERVAL_US,
  ENV,
  EventType,
  LAG_INTERVAL_MS,
  RUNTIME_GLOBAL,
  RecordKind,
  buildMeta,
} from '../contract/index.js';
import { trackResources } from './resources.js';
import { connectRuntime, createRecorderClock, flush, inertRuntime, recorder, runtime } from './runtime.js';
import { TraceWriter } from './trace-writer.js';

const here = dirname(fileURLToPath(import.meta.url));
const env = process.env;
const tracePath = env[ENV.trace];
// Node processes the script starts inherit the environment: they must not write our trace.
delete env[ENV.trace];
const recording = isMainThread && Boolean(tracePath) && env[ENV.enabled] !== '0';
const instrument = env[ENV.enabled] !== '0';

function numberFrom(name: string, fallback: number): number {
  const value = Number(env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const FLUSH_EVERY_MS = 500;
const PROFILE_EVERY_FLUSHES = 4;
const WORKER_START_WAIT_MS = 5000;

// With its trailing separator: a prefix test must not take a sibling such as `dist-old/` or a
// user file `dist.ts` next to it for the profiler's own code.
const ownDir = dirname(here) + sep;
(globalThis as Record<string, unknown>)[RUNTIME_GLOBAL] = recording ? runtime : inertRuntime;
if (recording) startRecording(tracePath!);

register(pathToFileURL(join(here, 'loader-hooks.js')), { data: { instrument, ownDir } });
installRequireHooks({ instrument, ownDir });

function startRecording(path: string): void {
  const blockingThresholdMs = numberFrom(ENV.blockingThreshold, DEFAULT_BLOCKING_THRESHOLD_MS);
  // 0 turns the sampling profiler off: tasks, resources and lag only (lower overhead).
  const samplingIntervalUs = env[ENV.samplingInterval] === '0' ? 0 : numberFrom(ENV.samplingInterval, DEFAULT_SAMPLING_INTERVAL_US);
  const clockTickUs = numberFrom(ENV.clockTick, DEFAULT_CLOCK_TICK_US);
  const writer = new TraceWriter(path, numberFrom(ENV.maxTraceBytes, DEFAULT_MAX_TRACE_BYTES));
  const originMs = performance.now();
  writer.writeJson(
    RecordKind.Meta,
    buildMeta({
      script: process.argv[1] ?? '',
      args: process.argv.slice(2),
      cwd: env[ENV.cwd] ?? process.cwd(),
      startEpochMs: Date.now(),
      originMs,
      // performance.now() + hrOriginMs = the monotonic clock V8's profiler uses, in ms.
      hrOriginMs: Number(process.hrtime.bigint()) / 1e6 - performance.now(),
      blockingThresholdMs,
      samplingIntervalUs,
      clockTickUs,
      // Frames from here are the profiler's own work, not the script's.
      profilerDir: ownDir,
    }),
  );

  let startScript = () => {};
  const maxBytes = numberFrom(ENV.maxTraceBytes, DEFAULT_MAX_TRACE_BYTES);
  let droppedHere = 0;
  const clock = createRecorderClock();
  const pipe = startEventPipe({
    workerFile: join(here, 'recorder-worker.js'),
    tracePath: path,
    clock,
    tickUs: clockTickUs,
    maxBytes,
    startBytes: writer.size,
    writeChunk(base, events, count, seq) {
      if (!writer.writeEventChunk(seq, base, events, count, droppedHere)) droppedHere += count;
    },
  });
  const dropped = () => droppedHere + pipe.dropped();
  connectRuntime({
    clock,
    sink: pipe,
    onModule: (table, firstId) => writer.writeJson(RecordKind.Module, { ...table, firstId }),
    onFirstModule: () => startScript(),
  });

  const timers = trackResources();
  let stopLag = () => {};
  let eluStart = performance.eventLoopUtilization();
  const utilization = () => performance.eventLoopUtilization(eluStart).utilization;
  startScript = () => {
    // Event times come from the clock the worker ticks: it must be running before the script.
    if (!pipe.waitForWorker(WORKER_START_WAIT_MS)) {
      writer.writeJson(RecordKind.Error, { origin: 'recorder', name: 'Warning', message: `the recorder thread did not start within ${WORKER_START_WAIT_MS} ms: event times are coarser (1 ms ticks from the main thread)` });
    }
    // Time zero of the run: module loading (and our loader's warm-up) is over. The clock word is
    // moved to now after reading it, so that no event of the script is stamped before time zero
    // (a worker thread kept waiting by a loaded machine leaves the word milliseconds behind).
    const atMs = performance.now();
    tick(clock);
    writer.writeJson(RecordKind.Start, { atMs });
    eluStart = performance.eventLoopUtilization();
    stopLag = startLagProbe(timers, LAG_INTERVAL_MS);
  };

  let profiler: SamplingProfiler | null = null;
  try {
    if (samplingIntervalUs > 0) {
      profiler = new SamplingProfiler(samplingIntervalUs);
      profiler.start();
    }
  } catch (error) {
    // Another inspector client or a platform without one: tasks and lag still work.
    writer.writeJson(RecordKind.Error, { origin: 'profiler', message: String((error as Error).message ?? error) });
  }
  const writeProfile = (last: boolean) => {
    const chunk = profiler?.cut(last);
    if (chunk && chunk.samples.length > 0) writer.writeJson(RecordKind.Profile, chunk);
  };

  // performance.mark / measure calls of the script: markers and phases in the timeline.
  const marks = (entries: PerformanceEntry[]) => {
    if (entries.length === 0) return;
    writer.writeJson(RecordKind.Marks, {
      entries: entries.map((e) => ({ name: e.name, entryType: e.entryType, startTime: e.startTime, duration: e.duration })),
    });
  };
  const markObserver = new PerformanceObserver((list) => marks(list.getEntries()));
  markObserver.observe({ entryTypes: ['mark', 'measure'] });

  let flushes = 0;
  const periodic = () => {
    recorder.sample(EventType.Utilization, Math.round(utilization() * 1e6));
    flush();
    if (++flushes % PROFILE_EVERY_FLUSHES === 0) writeProfile(false);
    timers.setTimeout(periodic, FLUSH_EVERY_MS).unref();
  };
  timers.setTimeout(periodic, FLUSH_EVERY_MS).unref();

  let finished = false;
  const finish = (exitCode: number | null, signal: string | null) => {
    if (finished) return;
    finished = true;
    // Before the profiler's own exit work, which is not the script's.
    const elu = utilization();
    stopLag();
    marks(markObserver.takeRecords());
    markObserver.disconnect();
    recorder.sample(EventType.Utilization, Math.round(elu * 1e6));
    flush();
    pipe.close();
    writeProfile(true);
    writer.writeJson(RecordKind.End, {
      exitCode,
      signal,
      endMs: performance.now(),
      elu,
      dropped: dropped(),
      tasks: recorder.taskCount(),
    });
    writer.close();
  };

  process.on('exit', (code) => finish(code, null));
  process.on('uncaughtExceptionMonitor', (error, origin) => {
    const e = error as Partial<Error> | undefined;
    writer.writeJson(RecordKind.Error, {
      origin,
      atMs: performance.now(),
      name: e?.name ?? typeof error,
      message: e?.message ?? String(error),
      stack: e?.stack ?? null,
    });
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      if (process.listenerCount(signal) > 1) {
        // The script handles this signal itself: keep what we have safe and let it decide.
        flush();
        return;
      }
      finish(128 + constants.signals[signal], signal);
      process.removeListener(signal, onSignal);
      // Die of the signal, as the script would have without us.
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}
