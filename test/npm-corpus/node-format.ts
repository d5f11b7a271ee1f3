// Node's rule for a file's module format before it looks at the syntax: the extension, then the
// "type" of the nearest package.json. Written out here, independently of the instrumenter, so
// that a wrong decision there shows up as a difference.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Format } from './instrument-file.js';

const typeOfDir = new Map<string, string | undefined>();

/** The "type" of the nearest package.json, as Node finds it (the first one up the tree). */
function packageType(dir: string): string | undefined {
  if (typeOfDir.has(dir)) return typeOfDir.get(dir);
  let type: string | undefined;
  const manifest = join(dir, 'package.json');
  if (existsSync(manifest)) {
    try {
      const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown };
      type = typeof parsed.type === 'string' ? parsed.type : undefined;
    } catch {
      // Node refuses to load from such a package; for the corpus it simply has no "type".
      type = undefined;
    }
  } else if (dirname(dir) !== dir) {
    type = packageType(dirname(dir));
  }
  typeOfDir.set(dir, type);
  return type;
}

/** What the extension and the nearest package.json say; undefined: Node decides by syntax. */
export function declaredFormat(file: string): Format | undefined {
  if (file.endsWith('.mjs')) return 'module';
  if (file.endsWith('.cjs')) return 'commonjs';
  const type = packageType(dirname(file));
  if (type === 'module') return 'module';
  if (type === 'commonjs') return 'commonjs';
  return undefined;
}

