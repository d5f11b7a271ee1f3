// `async-prof run <script> [args...]`
import { HeapTooSmallError, TraceError } from '../errors.js';
import { loadModel } from '../trace/load-model.js';
import { rerunWithLargerHeap } from './larger-heap.js';
import { writeReportJson } from '../report/report-json.js';
import { textReport } from '../report/text-report.js';
import { profileScript } from '../run/profile-script.js';
import { afterRun, type ServeOptions } from './serve-hook.js';

export interface RunOptions extends ServeOptions {
  out?: string;
  blockingThreshold?: number;
  samplingInterval?: number;
  timeout?: number;
  json?: boolean;
  /** No report: only async-prof's warnings, one line each (`async-prof: warning: ...`). */
  quiet?: boolean;
}

export async function runCommand(script: string, args: string[], options: RunOptions): Promise<number> {
  const run = await profileScript({
    script,
    args,
    out: options.out,
    blockingThresholdMs: options.blockingThreshold,
    samplingIntervalMs: options.samplingInterval,
    timeoutS: options.timeout,
    forwardSignals: true,
  });
  const timeoutWarning = run.timedOut ? `stopped after --timeout ${options.timeout} s` : undefined;
  try {
    await reportAndServe(run.tracePath, options, timeoutWarning);
  } catch (error) {
    if (!(error instanceof HeapTooSmallError)) throw error;
    // The script ran once and must not run again: only the analysis moves to a larger heap.
    const code = await rerunWithLargerHeap(error, analyseRunArgs(run.tracePath, options, timeoutWarning));
    // Plain TraceError: the CLI must not rerun the whole `run` command itself.
    if (code === null) throw new TraceError(error.message);
    if (code !== 0) return code;
  }
  return run.exitCode;
}

/** What `run` does once the script has ended: the report, then the timeline. */
export async function reportAndServe(tracePath: string, options: RunOptions, warning?: string): Promise<void> {
  const model = loadModel(tracePath, { blockingThresholdMs: options.blockingThreshold });
  if (warning !== undefined) model.warnings.unshift(warning);
  if (options.json) writeReportJson(model, (text) => process.stdout.write(text));
  else if (options.quiet) for (const line of model.warnings) process.stderr.write(`async-prof: warning: ${line}\n`);
  else process.stderr.write('\n' + textReport(model, { color: process.stderr.isTTY }) + '\n');
  await afterRun(tracePath, model, options);
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

export const ANALYSE_RUN_COMMAND = 'analyse-run';
