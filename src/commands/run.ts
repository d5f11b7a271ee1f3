// `async-prof run <script> [args...]`, and its hidden second half `analyse-run <trace>`.
import { Option, type Command } from 'commander';
import { DEFAULT_BLOCKING_THRESHOLD_MS } from '../../contract/index.js';
import { HeapTooSmallError, TraceError } from '../errors.js';
import { printWarnings, writeStdout } from '../output/output-streams.js';
import { terminalBlock, terminalText } from '../output/terminal-text.js';
import { writeReportJson } from '../report/report-json.js';
import { textReport } from '../report/text-report.js';
import { profileScript, type Runtime } from '../run/profile-script.js';
import { diskFullNote } from '../files/disk-full.js';
import { loadModel } from '../trace/load-model.js';
import { rerunWithLargerHeap } from './larger-heap.js';
import { durationMs, portNumber, positiveNumber, samplingInterval } from './number-options.js';
import { startFlightRecorder } from './flight-run.js';
import { LiveServer } from '../server/live-server.js';
import { UsageError } from '../errors.js';
import { afterRun, type ServeOptions } from './serve-hook.js';
import type { SetExit } from './set-exit.js';

export interface RunOptions extends ServeOptions {
  out?: string;
  blockingThreshold?: number;
  samplingInterval?: number;
  workerSamplingInterval?: number;
  timeout?: number;
  instrumentModules?: string[];
  runtime?: Runtime;
  hooks?: boolean;
  /** `--keep`: a flight recorder keeping the last this many ms. */
  keep?: number;
  /** `--live`: serve the timeline while the script runs. */
  live?: boolean;
  /** `--live-horizon`: the live page shows this many ms in full, older time as aggregates. */
  liveHorizon?: number;
  /** The live server of this run (set by runCommand for --live). */
  liveServer?: LiveServer;
  /** false (--no-workers): worker threads are not recorded. */
  workers?: boolean;
  /** false (--no-children): Node child processes are not recorded. */
  children?: boolean;
  json?: boolean;
  /** No report: only async-prof's warnings, one line each (`async-prof: warning: ...`). */
  quiet?: boolean;
  /** Why the trace may stop early, when known (a full disk). */
  unfinishedBecause?: string;
}

export const ANALYSE_RUN_COMMAND = 'analyse-run';

export function registerRunCommands(program: Command, setExit: SetExit): void {
  program
    .command('run')
    .description('run a script under the profiler, print a report, then serve the timeline')
    .argument('<script>', 'the script to run: JavaScript as node runs it, TypeScript/TSX/JSX as tsx runs it')
    .argument('[args...]', 'arguments passed to the script')
    .passThroughOptions()
    .option('-o, --out <file>', 'trace file (default: .async-prof/<script>-<time>.trace)')
    .option('--blocking-threshold <ms>', `synchronous stretches at least this long count as blocking (default ${DEFAULT_BLOCKING_THRESHOLD_MS})`, positiveNumber('--blocking-threshold'))
    .option('--sampling-interval <ms>', "V8's sampling profiler, which names the code that blocked: ms between samples (default 1; 0: off, lower overhead, no blocking stretches)", samplingInterval('--sampling-interval'))
    .option('--worker-sampling-interval <ms>', 'the same in worker threads (default: the larger of --sampling-interval and 4, which keeps CPU-bound pools on few cores within a few percent; 0: off in workers)', samplingInterval('--worker-sampling-interval'))
    .option('--timeout <s>', 'stop the script after this many seconds (SIGINT, then SIGKILL)', positiveNumber('--timeout'))
    .addOption(new Option('--runtime <runtime>', 'run the script as `node` runs it or as `tsx` does (default: tsx for .ts .mts .cts .tsx .jsx, node otherwise)').choices(['node', 'tsx']))
    .option('--instrument-modules <names>', 'also instrument these packages under node_modules (comma-separated names)', (value: string) => value.split(',').map((n) => n.trim()).filter(Boolean))
    .option('--hooks', 'also record, through async_hooks, the promises, timers and I/O of code the transform cannot see (costly on promise-heavy code)')
    .option('--keep <duration>', 'flight recorder: keep only the most recent window (e.g. 60s, 5m) on disk and in memory; `async-prof snapshot <pid>` or SIGUSR2 to this command writes it as a trace', durationMs('--keep'))
    .option('--live', 'serve the timeline while the script runs (new tasks, lag and blocking within a second); Ctrl-C stops the script, prints the report and keeps the page on the whole run')
    .option('--live-horizon <duration>', 'with --live: show this much of the run\'s end in full (default 3m), older time as per-interval aggregates (busy share, lag, blocking, tasks, requests)', durationMs('--live-horizon'))
    .option('--no-workers', 'do not record worker threads (by default each worker thread the program starts is recorded in the same trace)')
    .option('--no-children', 'do not record Node child processes (by default each node process the program starts with spawn, fork, exec or execFile, and cluster workers, is recorded in the same trace)')
    .option('--json', 'print the report as JSON on stdout instead of the text summary')
    .option('--quiet', "no report: print only async-prof's own warnings, one line each, prefixed `async-prof:`")
    .option('--no-serve', 'do not serve the timeline after the run')
    .option('--no-open', 'serve the timeline but do not open a browser')
    .addOption(new Option('--port <n>', 'port for the timeline server (default: a free one)').argParser(portNumber))
    .action(async function (this: Command, script: string, args: string[], options: RunOptions) {
      noteOwnFlagsAfterScript(this, script, args);
      setExit(await runCommand(script, args, options));
    });

  // The second half of `run` on its own, for a trace too big for this process's heap
  // (commands/larger-heap.ts): not for users, so not in the help.
  program
    .command(ANALYSE_RUN_COMMAND, { hidden: true })
    .argument('<trace>')
    .option('--json')
    .option('--quiet')
    .option('--no-serve')
    .option('--no-open')
    .addOption(new Option('--port <n>').argParser(portNumber))
    .option('--warning <text>')
    .action(async (trace: string, options: RunOptions & { warning?: string }) => {
      await reportAndServe(trace, options, options.warning);
      setExit(0);
    });
}

/**
 * Everything after the script is the script's own, as with node and tsx: `run app.ts --no-serve`
 * hands --no-serve to app.ts. When that looks like a slip (one of run's own options), one line
 * says how to write it; the script still gets its arguments.
 */
function noteOwnFlagsAfterScript(command: Command, script: string, args: string[]): void {
  const own = new Set<string>();
  for (const option of command.options) {
    if (option.long) own.add(option.long);
    if (option.short) own.add(option.short);
  }
  const slipped = args.map((arg) => arg.split('=')[0]!).filter((arg) => own.has(arg));
  if (slipped.length === 0) return;
  const flags = [...new Set(slipped)].join(' ');
  process.stderr.write(
    `async-prof: note: ${flags} after the script ${slipped.length > 1 ? 'go' : 'goes'} to the script; for async-prof, write ${slipped.length > 1 ? 'them' : 'it'} before it: async-prof run ${flags} ${terminalText(script)} ...\n`,
  );
}

export async function runCommand(script: string, args: string[], options: RunOptions): Promise<number> {
  if (options.live && options.serve === false) throw new UsageError('--live serves the timeline: it cannot go with --no-serve');
  if (options.liveHorizon !== undefined && !options.live) throw new UsageError('--live-horizon is the live page\'s: it goes with --live');
  const flight = options.keep !== undefined ? startFlightRecorder(script, options.keep, options.out) : null;
  // Set once the script has started (the live server reads the trace it writes).
  const live: { server: LiveServer | null } = { server: null };
  const startLive = (tracePath: string) => {
    if (!options.live) return;
    live.server = new LiveServer(tracePath, {
      port: options.port,
      open: options.open,
      urlStream: options.json ? process.stderr : process.stdout,
      ...(options.liveHorizon !== undefined ? { horizonMs: options.liveHorizon } : {}),
      ...(flight ? { writeWindow: flight.writeWindow, snapshot: flight.snapshot } : {}),
    });
    live.server.start();
  };
  // A SIGHUP (the terminal closed) is passed on to the script; afterwards there is no one left
  // to look at a timeline, so it is not served.
  let hungUp = false;
  const onHangUp = () => (hungUp = true);
  process.on('SIGHUP', onHangUp);
  let run;
  try {
    run = await profileScript({
      script,
      args,
      out: options.out,
      blockingThresholdMs: options.blockingThreshold,
      samplingIntervalMs: options.samplingInterval,
      workerSamplingIntervalMs: options.workerSamplingInterval,
      timeoutS: options.timeout,
      instrumentModules: options.instrumentModules,
      runtime: options.runtime,
      hooks: options.hooks,
      workers: options.workers,
      children: options.children,
      forwardSignals: true,
      ...(flight ? { out: flight.tracePath, rotate: true, beforeSeal: flight.beforeSeal } : {}),
      onSpawn: (pid, tracePath) => {
        flight?.onSpawn(pid);
        startLive(tracePath);
      },
    });
  } catch (error) {
    await live.server?.close();
    throw error;
  } finally {
    process.off('SIGHUP', onHangUp);
    flight?.stop();
  }
  const timeoutWarning = run.timedOut ? `stopped after --timeout ${options.timeout} s` : undefined;
  const reportOptions: RunOptions = { ...options, serve: hungUp ? false : options.serve, unfinishedBecause: diskFullNote(run.tracePath) ?? undefined, liveServer: live.server ?? undefined };
  try {
    await reportAndServe(run.tracePath, reportOptions, timeoutWarning);
  } catch (error) {
    if (!(error instanceof HeapTooSmallError)) throw error;
    // The script ran once and must not run again: only the analysis moves to a larger heap.
    const code = await rerunWithLargerHeap(error, analyseRunArgs(run.tracePath, reportOptions, timeoutWarning));
    // Plain TraceError: the CLI must not rerun the whole `run` command itself.
    if (code === null) throw new TraceError(error.message);
    if (code !== 0) return code;
  }
  return run.exitCode;
}

/** What `run` does once the script has ended: the report, then the timeline. */
export async function reportAndServe(tracePath: string, options: RunOptions, warning?: string): Promise<void> {
  const model = loadModel(tracePath, { forTerminal: !options.json, unfinishedBecause: options.unfinishedBecause, blockingThresholdMs: options.blockingThreshold });
  if (warning !== undefined) model.warnings.unshift(warning);
  if (options.json) {
    writeReportJson(model, writeStdout);
  } else if (options.quiet) {
    printWarnings(model.warnings);
  } else {
    const color = process.stderr.isTTY === true;
    process.stderr.write('\n' + terminalBlock(textReport(model, { color }), color) + '\n');
  }
  if (options.liveServer) await options.liveServer.finish(model);
  else await afterRun(tracePath, model, options);
}

/** The hidden `analyse-run` command line that repeats reportAndServe (cli.ts). */
function analyseRunArgs(tracePath: string, options: RunOptions, warning: string | undefined): string[] {
  const args = [ANALYSE_RUN_COMMAND, tracePath];
  if (options.json) args.push('--json');
  if (options.quiet) args.push('--quiet');
  if (options.serve === false) args.push('--no-serve');
  if (options.open === false) args.push('--no-open');
  if (options.port !== undefined) args.push('--port', String(options.port));
  if (warning !== undefined) args.push('--warning', warning);
  return args;
}
