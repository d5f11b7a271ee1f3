// Names shared by the CLI, the preload and instrumented code at run time.

/** Environment variables between the CLI and the preload. */
export const ENV = {
  trace: 'ASYNC_PROF_TRACE',
  cwd: 'ASYNC_PROF_CWD',
  blockingThreshold: 'ASYNC_PROF_BLOCKING_MS',
  samplingInterval: 'ASYNC_PROF_SAMPLING_US',
  /** Worker threads' interval (µs); unset: the larger of samplingInterval and the workers' default. */
  workerSamplingInterval: 'ASYNC_PROF_WORKER_SAMPLING_US',
  maxTraceBytes: 'ASYNC_PROF_MAX_TRACE_BYTES',
  clockTick: 'ASYNC_PROF_CLOCK_US',
  /** "0" disables instrumentation (TypeScript loading only), for bare baselines. */
  enabled: 'ASYNC_PROF_ENABLED',
  /** Comma-separated package names under node_modules to instrument like the program's files. */
  instrumentModules: 'ASYNC_PROF_INSTRUMENT_MODULES',
  /** How the script runs: "node" (the preload is --require'd) or "tsx" (--import'ed after tsx's). */
  runtime: 'ASYNC_PROF_RUNTIME',
  /** "1": also record every async resource through async_hooks (--hooks). */
  hooks: 'ASYNC_PROF_HOOKS',
  /**
   * "1": the trace file may be replaced under the writers (`run --keep`: the CLI rotates it into
   * window segments); they reopen its path when it names another file, and count the size limit per file.
   */
  rotate: 'ASYNC_PROF_ROTATE',
  /** "0": worker threads are not recorded (--no-workers). */
  workers: 'ASYNC_PROF_WORKERS',
  /** "0": Node child processes are not recorded (--no-children). */
  children: 'ASYNC_PROF_CHILDREN',
  /**
   * In a recorded child process: the NODE_OPTIONS its parent gave it, which the child's preload
   * puts back ("" : there was none), so that the child sees its environment as bare.
   */
  nodeOptions: 'ASYNC_PROF_NODE_OPTIONS',
} as const;

/**
 * Key of worker_threads' environment data under which a recording main thread hands its settings
 * to the worker threads it starts (each inherits it, and hands it on to its own). Not an
 * environment variable: a program may give a worker an env of its own, and process.env shows.
 */
export const THREAD_SETTINGS_KEY = '__asyncProfThreads';

/**
 * Key of worker_threads' environment data under which a recording thread hands the worker it is
 * constructing right now the shared memory of that worker's clock, which the starting thread's
 * recorder ticks (shared-clock.ts in instrument/): set just before `new Worker`, taken away
 * right after, so each worker gets its own.
 */
export const THREAD_CLOCK_KEY = '__asyncProfClock';

/** The file a worker thread writes its records into; the CLI folds it into the trace (Thread records). */
export function threadPartPath(tracePath: string, threadId: number): string {
  return `${tracePath}.thread-${threadId}`;
}

/** The prefix of every thread part of a trace (threadPartPath without the id). */
export function threadPartPrefix(traceFileName: string): string {
  return `${traceFileName}.thread-`;
}

/** Global through which instrumented code reaches the runtime. */
export const RUNTIME_GLOBAL = '__asyncProf';

/** The prefix of the files Node child processes write their records into (processPartPath). */
export function processPartPrefix(traceFileName: string): string {
  return `${traceFileName}.process-`;
}

/** The file the n-th Node child process started by process `pid` writes its records into. */
export function processPartPath(tracePath: string, pid: number, n: number): string {
  return `${tracePath}.process-${pid}-${n}`;
}
