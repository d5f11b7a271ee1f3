// `async-prof/vite`: a Vite (and so vitest) plugin that applies async-prof's load-time transform
// to your own source files, so that their async functions become named tasks in profile().
//
//   // vitest.config.ts
//   import { asyncProf } from 'async-prof/vite';
//   export default defineConfig({ plugins: [asyncProf()] });
//
// Lines stay where they were (the transform never adds a line), so blocking and tasks point at
// the lines you read. Without the plugin profile() still measures lag and blocking.
import { existsSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSource } from '../instrument/transform.js';

export interface AsyncProfPluginOptions {
  /** Only files whose path matches (default: every .ts/.tsx/.mts/.js/.jsx/.mjs file outside node_modules). */
  include?: RegExp | ((file: string) => boolean);
  /** Files whose path matches are left alone. */
  exclude?: RegExp | ((file: string) => boolean);
}

/** The shape Vite expects; declared here so that using the plugin does not need vite's types. */
export interface AsyncProfPlugin {
  name: string;
  enforce: 'pre';
  transform(code: string, id: string): { code: string; map: null } | null;
}

const SOURCE = /\.(?:m?[jt]s|[jt]sx)$/;

function ownFile(): string {
  if (typeof __filename === 'string' && __filename !== '') return __filename;
  return fileURLToPath(import.meta.url);
}

function test(rule: RegExp | ((file: string) => boolean), file: string): boolean {
  return typeof rule === 'function' ? rule(file) : rule.test(file);
}

export function asyncProf(options: AsyncProfPluginOptions = {}): AsyncProfPlugin {
  const here = dirname(ownFile());
  const packageRoot = resolve(here, '..');
  // The module that installs the in-process recorder; instrumented code needs it before it runs.
  const entry = [join(here, 'index.js'), join(here, 'index.ts')].find((f) => existsSync(f)) ?? join(here, 'index.js');
  const ownDirs = ['dist', 'src', 'instrument'].map((d) => join(packageRoot, d) + sep);
  return {
    name: 'async-prof',
    enforce: 'pre',
    transform(code, id) {
      if (id.startsWith('\0') || id.includes('/node_modules/')) return null;
      const file = id.replace(/[?#].*$/, '');
      if (!SOURCE.test(file) || /\.d\.[cm]?ts$/.test(file)) return null;
      if (ownDirs.some((d) => file.startsWith(d))) return null;
      if (options.include && !test(options.include, file)) return null;
      if (options.exclude && test(options.exclude, file)) return null;
      let result;
      try {
        result = transformSource(code, file, 'module');
      } catch {
        // Syntax the transform cannot parse: leave the file to Vite, untouched.
        return null;
      }
      if (result.tasks === 0) return null;
      // Same line as the first statement: no line moves.
      const install = `import ${JSON.stringify(entry)};`;
      const hashbang = result.code.startsWith('#!') ? result.code.indexOf('\n') + 1 : 0;
      const out = hashbang > 0 ? result.code.slice(0, hashbang) + install + result.code.slice(hashbang) : install + result.code;
      return { code: out, map: null };
    },
  };
}

export default asyncProf;
