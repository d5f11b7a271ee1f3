// `async-prof run <script> [args...]`
import { loadModel } from '../trace/load-model.js';
import { toReportJson } from '../report/report-json.js';
import { textReport } from '../report/text-report.js';
import { profileScript } from '../run/profile-script.js';
import { afterRun, type ServeOptions } from './serve-hook.js';

export interface RunOptions extends ServeOptions {
  out?: string;
  blockingThreshold?: number;
  samplingInterval?: number;
  timeout?: number;
  json?: boolean;
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
  const model = loadModel(run.tracePath);
  if (run.timedOut) model.warnings.unshift(`stopped after --timeout ${options.timeout} s`);
  if (options.json) process.stdout.write(JSON.stringify(toReportJson(model)) + '\n');
  else process.stderr.write('\n' + textReport(model, { color: process.stderr.isTTY }) + '\n');
  await afterRun(run.tracePath, model, options);
  return run.exitCode;
}
