// Script paths for `async-prof ci`: globs in the config file (`*`, `**`, `?`) and matching a
// script named on the command line to its config entry.
import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

export function hasGlob(pattern: string): boolean {
  return /[*?]/.test(pattern);
}

/** A glob as a regular expression over /-separated paths. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  const p = pattern.replace(/\\/g, '/');
  for (let i = 0; i < p.length; i++) {
    const ch = p[i]!;
    if (ch === '*') {
      if (p[i + 1] === '*') {
        // "**/" matches any number of directories, including none.
        if (p[i + 2] === '/') {
          re += '(?:[^/]*/)*';
          i += 2;
        } else {
          re += '.*';
          i += 1;
        }
      } else {
        re += '[^/]*';
      }
    } else if (ch === '?') {
      re += '[^/]';
    } else {
      re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

/** Posix-style path of `file` relative to `cwd` (absolute when far outside it). */
export function displayPath(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  if (rel === '' || isAbsolute(rel)) return file;
  return rel.split(sep).join('/');
}

const SKIP_DIRS = new Set(['node_modules', '.git']);

/** Files under `baseDir` matching the glob, sorted; a plain path is returned as it is. */
export function expandGlob(pattern: string, baseDir: string): string[] {
  if (!hasGlob(pattern)) return [resolve(baseDir, pattern)];
  const normalized = pattern.replace(/\\/g, '/');
  const parts = normalized.split('/');
  const staticParts: string[] = [];
  for (const part of parts) {
    if (hasGlob(part)) break;
    staticParts.push(part);
  }
  const root = resolve(baseDir, staticParts.join('/') || '.');
  const matcher = globToRegExp(resolve(baseDir, normalized).split(sep).join('/'));
  const found: string[] = [];
  const walk = (dir: string) => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of entries) {
      const path = join(dir, name);
      let isDir = false;
      try {
        isDir = statSync(path).isDirectory();
      } catch {
        continue;
      }
      if (isDir) {
        if (!SKIP_DIRS.has(name)) walk(path);
      } else if (matcher.test(path.split(sep).join('/'))) {
        found.push(path);
      }
    }
  };
  walk(root);
  return found.sort();
}

/** Does the config entry `pattern` (relative to baseDir) name this absolute script path? */
export function entryMatches(pattern: string, baseDir: string, script: string): boolean {
  const target = script.split(sep).join('/');
  if (!hasGlob(pattern)) return resolve(baseDir, pattern).split(sep).join('/') === target;
  return globToRegExp(resolve(baseDir, pattern.replace(/\\/g, '/')).split(sep).join('/')).test(target);
}
