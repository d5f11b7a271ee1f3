// Names shared by the CLI, the preload and instrumented code at run time.

/** Environment variables between the CLI and the preload. */
export const ENV = {
  trace: 'ASYNC_PROF_TRACE',
  cwd: 'ASYNC_PROF_CWD',
  blockingThreshold: 'ASYNC_PROF_BLOCKING_MS',
  samplingInterval: 'ASYNC_PROF_SAMPLING_US',
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
} as const;

/** Global through which instrumented code reaches the runtime. */
export const RUNTIME_GLOBAL = '__asyncProf';
