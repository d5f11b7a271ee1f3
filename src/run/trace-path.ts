// Where a run's trace goes: under .async-prof/ in the current directory, named after the
// script and the time, and never on top of another run's trace.
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';

function timestamp(date: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}-${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`;
}

/** Creates the file (exclusively) so that concurrent runs cannot pick the same name. */
export function claimTracePath(script: string, out: string | undefined, cwd: string): string {
  if (out) {
    const path = resolve(cwd, out);
    mkdirSync(dirname(path), { recursive: true });
    return path;
  }
  const dir = join(cwd, '.async-prof');
  mkdirSync(dir, { recursive: true });
  const stem = `${basename(script, extname(script))}-${timestamp(new Date())}`;
  for (let n = 1; ; n++) {
    const path = join(dir, n === 1 ? `${stem}.trace` : `${stem}-${n}.trace`);
    try {
      closeSync(openSync(path, 'wx'));
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
