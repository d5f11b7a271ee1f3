// process.execArgv as the program would see it bare: without the flags that load the profiler.
// Node hands execArgv on to child processes started with fork() and to worker threads, so
// this also keeps them from loading the profiler (they are not profiled).
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const LOADING_FLAGS = new Set(['--require', '-r', '--import', '--loader', '--experimental-loader']);

function pathOf(value: string): string {
  try {
    return value.startsWith('file:') ? fileURLToPath(value) : isAbsolute(value) ? value : resolve(value);
  } catch {
    return value;
  }
}

/** Returns the flags it took out (to hand on to workers started with an execArgv of their own: worker-flags.ts). */
export function hideOwnExecArgv(ownInstrumentDir: string): string[] {
  const own = (value: string) => pathOf(value).startsWith(ownInstrumentDir);
  const kept: string[] = [];
  const removed: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    if (LOADING_FLAGS.has(flag)) {
      const value = eq === -1 ? argv[i + 1] : arg.slice(eq + 1);
      if (value !== undefined && own(value)) {
        removed.push(arg);
        if (eq === -1) removed.push(argv[++i]!);
        continue;
      }
    }
    kept.push(arg);
  }
  if (kept.length !== argv.length) process.execArgv = kept;
  return removed;
}
