// Node side only (the viewer does not import this): reads the script's source files for the
// hints that need a line the trace does not record (analysis/hints, HintOptions.source). A file
// changed since the run started is not read: its line numbers may have moved.
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { TraceModel } from './types.js';

/** The text of a source file (a path as the model has it, relative to model.cwd), if it can be read. */
export type SourceOf = (file: string) => string | undefined;

const MAX_BYTES = 4 * 1024 * 1024;

export function sourceReader(model: TraceModel): SourceOf {
  const cache = new Map<string, string | undefined>();
  return (file: string) => {
    if (cache.has(file)) return cache.get(file);
    let text: string | undefined;
    try {
      const path = isAbsolute(file) ? file : resolve(model.cwd, file);
      const stat = statSync(path);
      if (stat.isFile() && stat.size <= MAX_BYTES && stat.mtimeMs <= model.startEpochMs + 1000) text = readFileSync(path, 'utf8');
    } catch {
      text = undefined;
    }
    cache.set(file, text);
    return text;
  };
}
