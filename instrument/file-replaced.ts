// `run --keep` (a flight recorder): the CLI turns the trace file into window segments by putting
// a new file at the trace's path (its header records copied) while the writers still hold the
// old one open. Each writer asks this now and then and, when the path names another file,
// reopens it: what it wrote meanwhile stays in the previous segment, which the window keeps.
import { fstatSync, statSync } from 'node:fs';

/** Writers look at most this often (ms): a stat call, never on the program's hot path. */
export const REPLACED_CHECK_EVERY_MS = 5;

/** True when `path` now names a file other than the one open as `fd`; false when it names none (mid-rotation) or on any error. */
export function fileReplaced(path: string, fd: number): boolean {
  try {
    const named = statSync(path, { throwIfNoEntry: false });
    if (!named) return false;
    const open = fstatSync(fd);
    return named.ino !== open.ino || named.dev !== open.dev;
  } catch {
    return false;
  }
}
