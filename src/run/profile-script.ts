// Runs a script under the profiler as a child process and waits for it. The script keeps the
// terminal: stdin, stdout and stderr are its own.
import { spawn, type StdioOptions } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ENV } from '../../contract/index.js';
import { foldThreadParts } from '../trace/fold-thread-parts.js';
import { sealTrace } from '../trace/seal-trace.js';
import { UsageError } from '../errors.js';
import { exitCodeOf } from './exit-code.js';
import { signalCameFromTerminal } from './terminal-signals.js';
import { claimTracePath } from './trace-path.js';

/** Scripts that tsx runs (TypeScript, TSX, JSX); every other file runs as `node` runs it. */
export const TSX_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx', '.jsx'];
/** Grace between SIGINT and SIGKILL when --timeout expires. */
const KILL_GRACE_MS = 2000;

export interface ProfileScriptOptions {
  script: string;
  args?: string[];
  out?: string;
  cwd?: string;
  blockingThresholdMs?: number;
  /** V8's sampling profiler: ms between samples; 0 turns it off. */
  samplingIntervalMs?: number;
  /** The same in worker threads (default: the larger of samplingIntervalMs and 4); 0 turns it off there. */
  workerSamplingIntervalMs?: number;
  timeoutS?: number;
  stdio?: StdioOptions;
  env?: NodeJS.ProcessEnv;
  /** false: load TypeScript but record nothing (bare baseline for benchmarks). */
  instrument?: boolean;
  /** Forward SIGINT/SIGTERM/SIGHUP received by this process to the script. */
  forwardSignals?: boolean;
  /** Packages under node_modules to instrument like the program's own files. */
  instrumentModules?: string[];
  /** How to run the script: as node runs it, or as tsx does (default: tsx for TS, TSX and JSX). */
  runtime?: Runtime;
  /** Also record every async resource through async_hooks. */
  hooks?: boolean;
  /** `--keep`: the trace file may be rotated under the writers (flight-recorder.ts). */
  rotate?: boolean;
  /** Called once the script's process exists, with its pid and the trace it writes. */
  onSpawn?: (pid: number | null, tracePath: string) => void;
  /** Called when the process has ended, before the trace is sealed (the flight recorder puts its window in place). */
  beforeSeal?: (tracePath: string) => void;
  /** false: worker threads are not recorded (--no-workers). */
  workers?: boolean;
  /** false: Node child processes are not recorded (--no-children). */
  children?: boolean;
}

export type Runtime = 'node' | 'tsx';

export interface ProfiledRun {
  tracePath: string;
  exitCode: number;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
}

/** dist/instrument next to the built CLI (dist/cli.js), or in dist/ from the sources (tests). */
export function instrumentDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, 'instrument'), join(here, '..', 'dist', 'instrument'), join(here, '..', '..', 'dist', 'instrument')]) {
    if (existsSync(join(candidate, 'preload.js'))) return candidate;
  }
  throw new UsageError('async-prof is not built: run `npm run build` (or `npm ci`, which builds it)');
}

/**
 * The node command line that runs `script` as it would run bare, plus the preload: tsx's own
 * flags for what tsx runs (the `tsx` command starts node with exactly these), nothing else for
 * JavaScript. The preload comes last: its module hooks then wrap tsx's.
 */
export function runtimeOf(script: string, runtime?: Runtime): Runtime {
  return runtime ?? (TSX_EXTENSIONS.includes(extname(script)) ? 'tsx' : 'node');
}

export function nodeArguments(script: string, runtime?: Runtime): string[] {
  const dir = instrumentDir();
  if (runtimeOf(script, runtime) === 'tsx') {
    const require = createRequire(import.meta.url);
    return [
      '--require',
      require.resolve('tsx/preflight'),
      '--import',
      pathToFileURL(require.resolve('tsx')).href,
      '--import',
      pathToFileURL(join(dir, 'preload.js')).href,
      script,
    ];
  }
  return ['--require', join(dir, 'preload.cjs'), script];
}

export function checkScript(script: string, cwd: string): string {
  const path = resolve(cwd, script);
  if (!existsSync(path)) throw new UsageError(`script not found: ${script}`);
  if (!statSync(path).isFile()) throw new UsageError(`not a file: ${script}`);
  return path;
}

export function profileScript(options: ProfileScriptOptions): Promise<ProfiledRun> {
  const cwd = options.cwd ?? process.cwd();
  const script = checkScript(options.script, cwd);
  const tracePath = claimTracePath(script, options.out, cwd);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    [ENV.trace]: tracePath,
    [ENV.cwd]: cwd,
  };
  if (options.blockingThresholdMs !== undefined) env[ENV.blockingThreshold] = String(options.blockingThresholdMs);
  if (options.samplingIntervalMs !== undefined) env[ENV.samplingInterval] = String(Math.round(options.samplingIntervalMs * 1000));
  if (options.workerSamplingIntervalMs !== undefined) env[ENV.workerSamplingInterval] = String(Math.round(options.workerSamplingIntervalMs * 1000));
  if (options.instrument === false) env[ENV.enabled] = '0';
  if (options.instrumentModules?.length) env[ENV.instrumentModules] = options.instrumentModules.join(',');
  const runtime = runtimeOf(script, options.runtime);
  env[ENV.runtime] = runtime;
  if (options.hooks) env[ENV.hooks] = '1';
  if (options.rotate) env[ENV.rotate] = '1';
  if (options.workers === false) env[ENV.workers] = '0';
  if (options.children === false) env[ENV.children] = '0';

  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...nodeArguments(script, runtime), ...(options.args ?? [])], {
      // What `node script` shows the script as process.argv0 (and its title); tsx starts node by its path.
      argv0: runtime === 'node' ? 'node' : process.execPath,
      cwd,
      env,
      stdio: options.stdio ?? 'inherit',
    });
    options.onSpawn?.(child.pid ?? null, tracePath);
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const timeout =
      options.timeoutS !== undefined
        ? setTimeout(() => {
            timedOut = true;
            child.kill('SIGINT');
            killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
          }, options.timeoutS * 1000)
        : undefined;
    const forward = (signal: NodeJS.Signals) => () => {
      // The terminal's Ctrl-C (or hang-up) reached the script already (terminal-signals.ts).
      if (signal !== 'SIGTERM' && signalCameFromTerminal()) return;
      child.kill(signal);
    };
    const onInt = forward('SIGINT');
    const onTerm = forward('SIGTERM');
    const onHup = forward('SIGHUP');
    if (options.forwardSignals) {
      process.on('SIGINT', onInt);
      process.on('SIGTERM', onTerm);
      process.on('SIGHUP', onHup);
    }
    child.on('error', (error) => reject(new UsageError(`cannot start node: ${error.message}`)));
    child.on('close', (code, signal) => {
      clearTimeout(timeout);
      clearTimeout(killTimer);
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      process.off('SIGHUP', onHup);
      const exitCode = exitCodeOf(code, signal);
      options.beforeSeal?.(tracePath);
      sealTrace(tracePath, { exitCode, signal, timedOut });
      // Worker threads' records, from their parts next to the trace (a part left behind is
      // still the thread's: a later fold of the same trace takes it).
      foldThreadParts(tracePath);
      resolvePromise({ tracePath, exitCode, signal, timedOut });
    });
  });
}
