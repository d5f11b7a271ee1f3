// Whether a file can be written at a path, found out by writing: the only test that sees a
// read-only mount, a full disk or a directory where a file should be (permission bits do not
// tell root anything). Used before a long job, so that it does not fail at its very end.
import { closeSync, openSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.js';
import { fsReason } from './fs-reason.js';
import { makeDirectory } from './make-directory.js';

/**
 * Makes the directory of `path` and writes a scratch file next to it (then removes it), as a
 * write-then-rename would. `what` names the file in the error: "the baseline".
 */
export function probeWritable(path: string, what: string): void {
  let existing;
  try {
    existing = statSync(path, { throwIfNoEntry: false });
  } catch {
    // ENOTDIR and the like: makeDirectory below says which part of the path is wrong.
  }
  if (existing?.isDirectory()) throw new UsageError(`cannot write ${what} to ${path}: it is a directory`);
  makeDirectory(dirname(path), what);
  probeDirectory(dirname(path), what, path);
}

/** Writes and removes a scratch file in `dir` (made if missing). */
export function probeDirectory(dir: string, what: string, shown = dir): void {
  makeDirectory(dir, what);
  const scratch = join(dir, `.async-prof-probe-${process.pid}`);
  try {
    const fd = openSync(scratch, 'w');
    try {
      writeSync(fd, 'probe\n');
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw new UsageError(`cannot write ${what} to ${shown}: ${fsReason(error)}`);
  } finally {
    try {
      unlinkSync(scratch);
    } catch {
      // Never made.
    }
  }
}

/** Opens `path` for appending (creating it if missing), as the step summary is written. */
export function probeAppendable(path: string, what: string): void {
  try {
    closeSync(openSync(path, 'a'));
  } catch (error) {
    throw new UsageError(`cannot write ${what} to ${path}: ${fsReason(error)}`);
  }
}
