// Which module system a user file belongs to, by Node's rules: the extension, then the nearest
// package.json "type"; files with neither are decided from their syntax (see transform.ts).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ModuleFormat } from './transform.js';

const typeByDir = new Map<string, string | null>();

function packageType(dir: string): string | null {
  const cached = typeByDir.get(dir);
  if (cached !== undefined) return cached;
  let type: string | null = null;
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { type?: unknown };
    type = typeof pkg.type === 'string' ? pkg.type : 'none';
  } catch (error) {
    const parent = dirname(dir);
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && parent !== dir) type = packageType(parent);
    else type = (error as NodeJS.ErrnoException).code === 'ENOENT' ? null : 'none';
  }
  typeByDir.set(dir, type);
  return type;
}

/** undefined: no rule applies, decide from the syntax. */
export function declaredFormat(file: string): ModuleFormat | undefined {
  if (/\.m[jt]s$/.test(file)) return 'module';
  if (/\.c[jt]s$/.test(file)) return 'commonjs';
  const type = packageType(dirname(file));
  if (type === 'module') return 'module';
  if (type === 'commonjs') return 'commonjs';
  return undefined;
}

/** Source files the loader handles: JavaScript and TypeScript of every flavour. */
export const SOURCE_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/;

/** Spellings to try when an import names a file that does not exist. */
export function typeScriptAlternatives(specifier: string): string[] {
  const ext = /\.([cm]?)js$/.exec(specifier);
  if (ext) {
    const stem = specifier.slice(0, -ext[0].length);
    return ext[1] ? [`${stem}.${ext[1]}ts`] : [`${stem}.ts`, `${stem}.tsx`];
  }
  if (SOURCE_FILE.test(specifier) || /\.json$/.test(specifier)) return [];
  return [`${specifier}.ts`, `${specifier}.tsx`, `${specifier}.mts`, `${specifier}.cts`, `${specifier}.js`, `${specifier}/index.ts`, `${specifier}/index.js`];
}
