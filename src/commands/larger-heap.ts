// A trace too big for the heap Node gives this process is analysed in a child process that gets
// the heap it needs, when the machine has the memory: a long run should end in its report, not
// in an error asking to type the command again with NODE_OPTIONS.
import { spawn } from 'node:child_process';
import { totalmem } from 'node:os';
import type { HeapTooSmallError } from '../errors.js';
import { exitCodeOf } from '../run/exit-code.js';

/** Set in the child: it must not start a child of its own. */
const RETRY_ENV = 'ASYNC_PROF_LARGER_HEAP';
/** Share of the machine's (or container's) memory the analysis may count on. */
const USABLE_MEMORY_SHARE = 0.8;
/** A Ctrl-C at a terminal reaches the child too; forward only what it did not get itself. */
const FORWARD_SIGINT_AFTER_MS = 500;

function availableMemoryMb(): number {
  const constrained = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.();
  const bytes = constrained !== undefined && constrained > 0 ? Math.min(constrained, totalmem()) : totalmem();
  return bytes / 1024 ** 2;
}

/**
 * Runs this CLI again with `cliArgs` and a heap of `error.heapMb`, its output going straight to
 * ours. Returns its exit code, or null (nothing started) when this process already is such a
 * child or the machine lacks the memory: then the caller reports the error as it stands.
 */
export async function rerunWithLargerHeap(error: HeapTooSmallError, cliArgs: string[]): Promise<number | null> {
  const entry = process.argv[1];
  if (process.env[RETRY_ENV] || entry === undefined) return null;
  const availableMb = availableMemoryMb();
  if (error.neededMb > availableMb * USABLE_MEMORY_SHARE) return null;
  process.stderr.write(
    `async-prof: ${error.events.toLocaleString('en-US')} events need about ${error.neededMb} MB to analyse, more than Node's heap here (${error.limitMb} MB); ` +
      `analysing them with --max-old-space-size=${error.heapMb} (this machine has ${Math.round(availableMb)} MB; expect about a second per 100,000 events)\n`,
  );
  const child = spawn(process.execPath, [...process.execArgv, `--max-old-space-size=${error.heapMb}`, entry, ...cliArgs], {
    stdio: 'inherit',
    env: { ...process.env, [RETRY_ENV]: '1' },
  });
  let sigintTimer: NodeJS.Timeout | undefined;
  const onSigint = () => {
    sigintTimer ??= setTimeout(() => child.kill('SIGINT'), FORWARD_SIGINT_AFTER_MS);
  };
  const onSigterm = () => child.kill('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  try {
    return await new Promise<number>((resolve) => {
      child.on('error', () => resolve(70));
      child.on('exit', (code, signal) => resolve(exitCodeOf(code, signal)));
    });
  } finally {
    clearTimeout(sigintTimer);
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
  }
}
