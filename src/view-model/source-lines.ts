// The text of the source lines the viewer points at (a task's function line, the line of each
// await, a blocking stretch's line), read from the script's files when they are still as they were
// during the run. Only the script files the trace names are read (by extension, size-capped); lines
// are trimmed and capped, so a trace of any size carries at most MAX_LINES short lines.
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { extname, isAbsolute, resolve } from 'node:path';
import type { SourceLine } from './types.js';

const MAX_LINES = 20_000;
const MAX_FILE_BYTES = 4 * 1024 * 1024;
const MAX_LINE_CHARS = 200;
const SCRIPT_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx']);

export interface SourceRequest {
  /** File string index -> the lines wanted. */
  wanted: Map<number, Set<number>>;
}

export function newSourceRequest(): SourceRequest {
  return { wanted: new Map() };
}

export function wantLine(request: SourceRequest, file: number, line: number): void {
  if (line <= 0) return;
  let lines = request.wanted.get(file);
  if (!lines) request.wanted.set(file, (lines = new Set()));
  lines.add(line);
}

export function readSourceLines(
  request: SourceRequest,
  strings: readonly string[],
  cwd: string,
  /** Files changed after this time (epoch ms) are skipped: their line numbers may have moved. */
  notAfterEpochMs: number,
): SourceLine[] {
  const out: SourceLine[] = [];
  for (const [file, lines] of request.wanted) {
    if (out.length >= MAX_LINES) break;
    const name = strings[file] ?? '';
    if (!name || name.startsWith('node:') || !SCRIPT_EXTENSIONS.has(extname(name))) continue;
    const path = isAbsolute(name) ? name : resolve(cwd, name);
    let text: string;
    try {
      const stat = statSync(path);
      if (!stat.isFile() || stat.size > MAX_FILE_BYTES || stat.mtimeMs > notAfterEpochMs) continue;
      const fd = openSync(path, 'r');
      try {
        text = readFileSync(fd, 'utf8');
      } finally {
        closeSync(fd);
      }
    } catch {
      continue;
    }
    const all = text.split(/\r?\n/);
    for (const line of [...lines].sort((a, b) => a - b)) {
      const source = all[line - 1];
      if (source === undefined) continue;
      const trimmed = source.trim();
      if (!trimmed) continue;
      out.push([file, line, trimmed.length > MAX_LINE_CHARS ? `${trimmed.slice(0, MAX_LINE_CHARS - 1)}…` : trimmed]);
      if (out.length >= MAX_LINES) break;
    }
  }
  return out;
}
