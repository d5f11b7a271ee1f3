// Creates a directory and its missing parents one level at a time. Node's recursive mkdir can
// spin forever where a parent both does and does not exist (under /proc it alternates ENOENT
// and EEXIST); here each level is tried once, and a failure is one line (UsageError, exit 2).
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { fsReason } from './fs-reason.js';

/** `purpose` says what the directory is for: "the trace", "the baseline". */
export function makeDirectory(dir: string, purpose: string): void {
  const missing: string[] = [];
  let at = resolve(dir);
  for (;;) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(at).isDirectory();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new UsageError(`cannot use the directory ${at} for ${purpose}: ${fsReason(error)}`);
      missing.push(at);
      const parent = dirname(at);
      if (parent === at) break;
      at = parent;
      continue;
    }
    if (!isDirectory) throw new UsageError(`cannot put ${purpose} under ${at}: it is not a directory`);
    break;
  }
  for (const path of missing.reverse()) {
    try {
      mkdirSync(path);
    } catch (error) {
      // Made meanwhile by another run: fine if it is a directory now.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && statSync(path, { throwIfNoEntry: false })?.isDirectory()) continue;
      throw new UsageError(`cannot create the directory ${path} for ${purpose}: ${fsReason(error)}`);
    }
  }
}
