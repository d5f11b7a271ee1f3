// Where a run's trace goes: under .async-prof/ in the current directory, named after the
// script and the time, and never on top of another run's trace; or where -o says. Checked
// before the script starts, by writing the trace's first bytes: a directory, a device, a
// read-only place, a full disk or a path under /proc is one line and exit 2 (UsageError), not
// a stack trace from the profiled process and a script that never ran.
import { Buffer } from 'node:buffer';
import { closeSync, lstatSync, openSync, readlinkSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { HEADER_BYTES, TRACE_MAGIC, TRACE_VERSION } from '../../contract/index.js';
import { UsageError } from '../errors.js';
import { fsReason as reason } from '../files/fs-reason.js';
import { makeDirectory } from '../files/make-directory.js';

/** Names tried for the default trace before giving up (one per run started in the same second). */
const MAX_NAME_TRIES = 1000;

function timestamp(date: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}-${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`;
}

/** The file header, written now so that a place that cannot hold a trace says so before the script runs. */
function writeProbe(fd: number): void {
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(TRACE_MAGIC, 0, 'latin1');
  header.writeUInt32LE(TRACE_VERSION, 8);
  writeSync(fd, header);
}

function claimGivenPath(path: string, shown: string): string {
  const link = lstatSync(path, { throwIfNoEntry: false });
  const target = statSync(path, { throwIfNoEntry: false });
  if (link?.isSymbolicLink() && !target) {
    let to = '';
    try {
      to = ` to ${readlinkSync(path)}`;
    } catch {
      // Unreadable link: say less.
    }
    // Followed, it could create a file anywhere the link points; a missing target is a mistake.
    throw new UsageError(`-o ${shown} is a symbolic link${to} that points nowhere`);
  }
  if (target?.isDirectory()) throw new UsageError(`-o ${shown} is a directory: give a file name for the trace`);
  if (target && !target.isFile()) throw new UsageError(`-o ${shown} is not a regular file (a device, a pipe or a socket cannot hold a trace)`);
  makeDirectory(dirname(path), 'the trace');
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (error) {
    throw new UsageError(`cannot write the trace to ${shown}: ${reason(error)}`);
  }
  try {
    writeProbe(fd);
  } catch (error) {
    throw new UsageError(`cannot write the trace to ${shown}: ${reason(error)}`);
  } finally {
    closeSync(fd);
  }
  return path;
}

/** Creates the file (exclusively for the default name, so that concurrent runs cannot pick the same one). */
export function claimTracePath(script: string, out: string | undefined, cwd: string): string {
  if (out) return claimGivenPath(resolve(cwd, out), out);
  const dir = join(cwd, '.async-prof');
  makeDirectory(dir, 'the trace');
  const stem = `${basename(script, extname(script))}-${timestamp(new Date())}`;
  for (let n = 1; n <= MAX_NAME_TRIES; n++) {
    const path = join(dir, n === 1 ? `${stem}.trace` : `${stem}-${n}.trace`);
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw new UsageError(`cannot write the trace to ${path}: ${reason(error)}`);
    }
    try {
      writeProbe(fd);
    } catch (error) {
      throw new UsageError(`cannot write the trace to ${path}: ${reason(error)}`);
    } finally {
      closeSync(fd);
    }
    return path;
  }
  throw new UsageError(`cannot find a free name for the trace in ${dir} (${MAX_NAME_TRIES} taken): give one with -o`);
}
