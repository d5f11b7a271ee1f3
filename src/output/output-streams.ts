// The CLI's own stdout and stderr when the other end goes away or fills up: a reader that
// closes the pipe (`report --json big.trace | head -c 100`) ends the output quietly, as Unix
// tools do, and the command finishes with its own exit code; a full disk or an I/O error on
// stdout is one line and exit 2. Never an unhandled 'error' event with a stack trace.
import { terminalText } from './terminal-text.js';

/** Exit code when the output cannot be written (README, "Exit codes"). */
export const OUTPUT_FAILED_EXIT = 2;

let stdoutClosed = false;
let guarded = false;

function reason(error: NodeJS.ErrnoException): string {
  const code = error.code ?? 'error';
  const text: Record<string, string> = { ENOSPC: 'no space left on device', EIO: 'input/output error', EFBIG: 'file too large', EDQUOT: 'disk quota exceeded' };
  return text[code] ? `${code} (${text[code]})` : terminalText(error.message ?? code);
}

export function guardOutputStreams(): void {
  if (guarded) return;
  guarded = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') {
      stdoutClosed = true;
      return;
    }
    if (stdoutClosed) return;
    stdoutClosed = true;
    try {
      process.stderr.write(`async-prof: cannot write to standard output: ${reason(error)}\n`);
    } catch {
      // stderr is gone too: the exit code has to say it.
    }
    process.exit(OUTPUT_FAILED_EXIT);
  });
  // Nowhere left to tell of it; the exit code stays the command's.
  process.stderr.on('error', () => {});
}

/** Writes to stdout unless its reader has gone. */
export function writeStdout(text: string): void {
  if (!stdoutClosed) process.stdout.write(text);
}

/** Each warning once, one line each, on stderr: `async-prof: warning: ...`. */
export function printWarnings(warnings: Iterable<string>): void {
  for (const warning of new Set(warnings)) process.stderr.write(`async-prof: warning: ${terminalText(warning)}\n`);
}
