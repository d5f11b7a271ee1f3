// The command line: the program and its error handling. Each command lives in src/commands/
// (registered by commands/register-commands.ts); this file maps what can go wrong to one line on
// stderr and a documented exit code (README, "Exit codes"): the script's own for `run`;
// 1 unreadable trace; 2 usage, or an output that cannot be written; 70 a bug of async-prof.
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { HeapTooSmallError, UsageError, TraceError } from './errors.js';
import { ANALYSE_RUN_COMMAND } from './commands/run.js';
import { rerunWithLargerHeap } from './commands/larger-heap.js';
import { registerCommands } from './commands/register-commands.js';
import { guardOutputStreams } from './output/output-streams.js';
import { terminalText } from './output/terminal-text.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** Exit code of a bug of async-prof. */
export const INTERNAL_ERROR_EXIT = 70;

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('async-prof')
    .description('Event-loop profiler and concurrency timeline for Node.js and TypeScript')
    .version(pkg.version)
    .enablePositionalOptions()
    .showHelpAfterError('(run async-prof --help for usage)')
    .exitOverride()
    .configureOutput({
      // One line, no stack: "async-prof: error: unknown option '--x'".
      outputError: (message, write) => write(`async-prof: ${terminalText(message.trim().split('\n')[0]!)}\n`),
    });
  registerCommands(program, setExit);
  return program;
}

/**
 * Commands that only read traces, so that running one again in a larger heap repeats nothing
 * else (`run` moves only its analysis there; `ci` would run its scripts again).
 */
const ANALYSING_COMMANDS = new Set(['report', 'view', 'export', 'compare', ANALYSE_RUN_COMMAND]);

export async function main(argv: string[]): Promise<number> {
  guardOutputStreams();
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
      process.stderr.write(`async-prof: ${terminalText(error.message)}\n`);
      return error.exitCode;
    }
    process.stderr.write(`async-prof: internal error: ${internalMessage(error)}\n`);
    if (process.env.ASYNC_PROF_DEBUG) process.stderr.write(`${terminalText((error as Error)?.stack ?? '', 100_000).replace(/\\n/g, '\n')}\n`);
    return INTERNAL_ERROR_EXIT;
  }
}

/** Whatever was thrown, as one line (its message getter may throw too). */
function internalMessage(error: unknown): string {
  try {
    return terminalText((error as Error)?.message ?? String(error));
  } catch {
    return 'an error that cannot be shown';
  }
}
