// `async-prof report <trace> [--json] [--blocking-threshold <ms>]`
import type { Command } from 'commander';
import { printWarnings, writeStdout } from '../output/output-streams.js';
import { terminalBlock } from '../output/terminal-text.js';
import { writeReportJson } from '../report/report-json.js';
import { textReport } from '../report/text-report.js';
import { loadModel } from '../trace/load-model.js';
import { BLOCKING_THRESHOLD_HELP, positiveNumber } from './number-options.js';
import type { SetExit } from './set-exit.js';

export function registerReportCommand(program: Command, setExit: SetExit): void {
  program
    .command('report')
    .description('print the summary of a recorded trace')
    .argument('<trace>', 'a .trace file written by `async-prof run`')
    .option('--json', 'print the report as JSON')
    .option('--blocking-threshold <ms>', BLOCKING_THRESHOLD_HELP, positiveNumber('--blocking-threshold'))
    .action((trace: string, options: { json?: boolean; blockingThreshold?: number }) => {
      setExit(reportCommand(trace, options));
    });
}

export function reportCommand(trace: string, options: { json?: boolean; blockingThreshold?: number }): number {
  const blockingThresholdMs = options.blockingThreshold;
  if (options.json) {
    const model = loadModel(trace, { blockingThresholdMs });
    writeReportJson(model, writeStdout);
    printWarnings(model.warnings);
  } else {
    const model = loadModel(trace, { forTerminal: true, blockingThresholdMs });
    const color = process.stdout.isTTY === true;
    writeStdout(terminalBlock(textReport(model, { color }), color) + '\n');
    printWarnings(model.warnings);
  }
  return 0;
}
