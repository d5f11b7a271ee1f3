// File names as the model shows them: relative to the directory the run started in.
import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute paths and file: URLs become paths relative to the run's directory (far-off ones stay absolute). */
export function relativeFile(cwd: string, file: string): string {
  let path = file;
  if (path.startsWith('file://')) {
    try {
      path = fileURLToPath(path);
    } catch {
      return file;
    }
  }
  if (!isAbsolute(path)) return path;
  const rel = relative(cwd, path);
  return rel.startsWith('..') && rel.split('/').filter((p) => p === '..').length > 3 ? path : rel;
}
