// `async-prof ci`: fails a build on event-loop lag, blocking and regressions against a baseline.
// The work is in src/ci/ (plan, runner, evaluate, baseline, reporters); this file parses flags.
// Exit codes: 0 pass (warnings allowed), 1 budget or regression failed, 2 usage/config error or
// a script crashed, 3 inconclusive (see --inconclusive).
import { Option, type Command } from 'commander';
import { nonNegativeNumber, percent, positiveNumber, probability, wholeNumber } from './number-options.js';
import type { SetExit } from './set-exit.js';
import { DEFAULT_BLOCKING_THRESHOLD_MS } from '../../contract/index.js';
import { buildPlan, type CiCliOptions } from '../ci/plan.js';
import { planOutputs, writeOutputs } from '../ci/output.js';
import { checkWritablePlaces } from '../ci/preflight.js';
import { terminalText } from '../output/terminal-text.js';
import { runCi } from '../ci/run-ci.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerCiCommand(program: Command, setExit: SetExit): void {
  program
    .command('ci')
    .description('run scripts several times under the profiler and fail on lag, blocking or regressions (docs/ci.md)')
    .argument('[scripts...]', 'scripts to check (default: "scripts" in the config file)')
    .option('--config <file>', 'config file (default: async-prof.config.json if present)')
    .option('--max-lag-p99 <ms>', 'budget: 99th percentile of event-loop lag', nonNegativeNumber('--max-lag-p99'))
    .option('--max-lag <ms>', 'budget: largest event-loop lag', nonNegativeNumber('--max-lag'))
    .option('--max-blocking <ms>', 'budget: no blocking stretch of the main thread longer than this', nonNegativeNumber('--max-blocking'))
    .option('--max-worker-blocking <ms>', 'budget: no blocking stretch of a worker thread longer than this', nonNegativeNumber('--max-worker-blocking'))
    .option('--max-blocking-count <n>', 'budget: stretches of --blocking-threshold or more', wholeNumber('--max-blocking-count', 0))
    .option('--max-wall <ms>', 'budget: wall time of the script', nonNegativeNumber('--max-wall'))
    .option('--runs <n>', 'runs per script (default 5)', wholeNumber('--runs', 1))
    .addOption(new Option('--aggregate <how>', 'how runs combine before a budget is checked (default median)').choices(['median', 'pessimistic']))
    .option('--baseline <file>', 'compare with (or, with --update-baseline, record) this baseline')
    .option('--update-baseline', 'record this run as the baseline instead of comparing')
    .option('--tolerance <percent>', 'a change counts only when worse by more than this (default 20%)', percent('--tolerance'))
    .option('--min-change <ms>', 'and by more than this absolute amount (default 2)', nonNegativeNumber('--min-change'))
    .option('--alpha <p>', 'significance level of the rank test (default 0.05)', probability('--alpha'))
    .option('--blocking-threshold <ms>', `stretches at least this long count as blocking (default ${DEFAULT_BLOCKING_THRESHOLD_MS})`, positiveNumber('--blocking-threshold'))
    .option('--timeout <s>', 'a run that takes longer is stopped and counts as a crash', positiveNumber('--timeout'))
    .option('--reporter <names>', 'comma-separated: human, json, junit, github, markdown (default human)')
    .option('--out-dir <dir>', 'write json, junit and markdown reports to files here')
    .addOption(new Option('--inconclusive <mode>', 'exit code when a change is not significant: report (3), fail (1), pass (0)').choices(['report', 'fail', 'pass']))
    .option('--env <NAME=VALUE>', 'environment variable for the scripts (repeatable)', collect)
    .option('--keep-traces', 'keep the traces of every run (the directory is printed)')
    .action(async (scripts: string[], options: CiCliOptions) => {
      const cwd = process.cwd();
      const plan = buildPlan(scripts, options, cwd);
      const outputs = planOutputs(plan.reporters, plan.outDir, process.env);
      checkWritablePlaces(plan, outputs);
      const progress = process.stderr.isTTY === true;
      const result = await runCi(plan, {
        onProgress: progress
          ? (script, run, of) => process.stderr.write(`\r\x1b[2Kasync-prof ci: ${terminalText(script.path)} run ${run} of ${of}`)
          : undefined,
        onWarning: undefined,
      });
      if (progress) process.stderr.write('\r\x1b[2K');
      writeOutputs(outputs, result);
      setExit(result.exitCode);
    });
}
