// The command line. Each command lives in src/commands/; this file only parses arguments.
// Exit codes (README "Exit codes"): the script's own for `run`; 1 unreadable trace; 2 usage.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { HeapTooSmallError, UsageError, TraceError } from './errors.js';
import { ANALYSE_RUN_COMMAND, reportAndServe, runCommand } from './commands/run.js';
import { rerunWithLargerHeap } from './commands/larger-heap.js';
import { reportCommand } from './commands/report.js';
import { registerExtraCommands } from './commands/extra.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

export function positiveNumber(what: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${what} must be a positive number`);
    return n;
  };
}

/** 0 (off) or an interval V8's profiler can keep to: 0.1 ms and up. */
function samplingInterval(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || (n !== 0 && n < 0.1)) throw new InvalidArgumentError('--sampling-interval must be 0 (off) or at least 0.1 ms');
  return n;
}

export function portNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('port must be an integer from 0 to 65535');
  return n;
}

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('async-prof')
    .description('Event-loop profiler and concurrency timeline for Node.js and TypeScript')
    .version(pkg.version)
    .enablePositionalOptions()
    .showHelpAfterError('(run async-prof --help for usage)')
    .exitOverride()
    .configureOutput({
      // One line, no stack: "async-prof: error: unknown option '--x'".
      outputError: (message, write) => write(`async-prof: ${message.trim().split('\n')[0]!.replace(/^error: /, 'error: ')}\n`),
    });

  program
    .command('run')
    .description('run a script under the profiler, print a report, then serve the timeline')
    .argument('<script>', 'the .ts/.mts/.cts/.js/.mjs/.cjs file to run')
    .argument('[args...]', 'arguments passed to the script')
    .passThroughOptions()
    .option('-o, --out <file>', 'trace file (default: .async-prof/<script>-<time>.trace)')
    .option('--blocking-threshold <ms>', 'synchronous stretches at least this long count as blocking (default 50)', positiveNumber('--blocking-threshold'))
    .option('--sampling-interval <ms>', "V8's sampling profiler, which names the code that blocked: ms between samples (default 1; 0: off, lower overhead, no blocking stretches)", samplingInterval)
    .option('--timeout <s>', 'stop the script after this many seconds (SIGINT, then SIGKILL)', positiveNumber('--timeout'))
    .option('--json', 'print the report as JSON on stdout instead of the text summary')
    .option('--quiet', "no report: print only async-prof's own warnings, one line each, prefixed `async-prof:`")
    .option('--no-serve', 'do not serve the timeline after the run')
    .option('--no-open', 'serve the timeline but do not open a browser')
    .addOption(new Option('--port <n>', 'port for the timeline server (default: a free one)').argParser(portNumber))
    .action(async (script: string, args: string[], options) => {
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
    .action(async (trace: string, options: { json?: boolean; quiet?: boolean; serve?: boolean; open?: boolean; port?: number; warning?: string }) => {
      await reportAndServe(trace, options, options.warning);
      setExit(0);
    });

  program
    .command('report')
    .description('print the summary of a recorded trace')
    .argument('<trace>', 'a .trace file written by `async-prof run`')
    .option('--json', 'print the report as JSON')
    .option('--blocking-threshold <ms>', 'synchronous stretches at least this long count as blocking (default: what the run was recorded with)', positiveNumber('--blocking-threshold'))
    .action((trace: string, options) => {
      setExit(reportCommand(trace, options));
    });

  registerExtraCommands(program, setExit);
  return program;
}

/**
 * Commands that only read traces, so that running one again in a larger heap repeats nothing
 * else (`run` moves only its analysis there; `ci` would run its scripts again).
 */
const ANALYSING_COMMANDS = new Set(['report', 'view', 'export', 'compare', ANALYSE_RUN_COMMAND]);

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = buildProgram((code) => (exitCode = code));
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; every parse error is a usage error.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof HeapTooSmallError && ANALYSING_COMMANDS.has(argv[2] ?? '')) {
      const code = await rerunWithLargerHeap(error, argv.slice(2));
      if (code !== null) return code;
    }
    if (error instanceof UsageError || error instanceof TraceError) {
      process.stderr.write(`async-prof: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`async-prof: internal error: ${(error as Error)?.message ?? String(error)}\n`);
    if (process.env.ASYNC_PROF_DEBUG) process.stderr.write(`${(error as Error)?.stack}\n`);
    return 70;
  }
}
