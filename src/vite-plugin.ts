// `async-prof/vite`: a Vite (and so vitest) plugin that applies async-prof's load-time transform
// to your own source files, so that their async functions become named tasks in profile().
//
//   // vitest.config.ts
//   import { asyncProf } from 'async-prof/vite';
//   export default defineConfig({ plugins: [asyncProf()] });
//
// It runs before Vite's own plugins and strips TypeScript with sucrase, which keeps every line
// where it was: Vite's later transforms (its SSR transform moves imports) leave no map that a
// profile taken in the test process could use, so lines must stay the source's from the start.
// Syntax sucrase cannot strip (decorators) leaves the file to Vite, uninstrumented. Without the
// plugin profile() still measures lag and blocking.
import { existsSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { fileOfModuleId } from '../instrument/scope.js';
import { instrument } from '../instrument/transform.js';

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

type SucraseModule = typeof import('sucrase');
let sucrase: SucraseModule | undefined;

/** TypeScript (and JSX) to JavaScript, every line where it was. */
function stripTypes(code: string, file: string): string {
  if (!/\.(c|m)?tsx?$/.test(file) && !file.endsWith('.jsx')) return code;
  sucrase ??= createRequire(ownFile())('sucrase') as SucraseModule;
  const transforms: ('typescript' | 'jsx')[] = file.endsWith('.jsx') ? ['jsx'] : ['typescript'];
  if (file.endsWith('.tsx')) transforms.push('jsx');
  return sucrase.transform(code, { transforms, disableESTransforms: true, filePath: file }).code;
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
  // Function ids are unique per process that runs the code: every module this plugin compiles.
  let nextId = 1;
  return {
    name: 'async-prof',
    enforce: 'pre',
    transform(code, id) {
      const file = fileOfModuleId(id);
      if (file === null || file.includes('/node_modules/')) return null;
      if (!SOURCE.test(file) || /\.d\.[cm]?ts$/.test(file)) return null;
      if (ownDirs.some((d) => file.startsWith(d))) return null;
      if (options.include && !test(options.include, file)) return null;
      if (options.exclude && test(options.exclude, file)) return null;
      let result;
      try {
        result = instrument(stripTypes(code, file), {
          file,
          sourceType: 'module',
          allocateIds: (count) => {
            const first = nextId;
            nextId += count;
            return first;
          },
        });
      } catch {
        // Syntax the transform cannot parse: leave the file to Vite, untouched.
        return null;
      }
      if (result.tasks === 0) return null;
      // On the first line, so that no line moves (`map: null`: lines are the source's);
      // the table reaches the recorder when the module runs, before any of its functions can.
      const install = `import ${JSON.stringify(entry)};globalThis.__asyncProf.m(${JSON.stringify(result.table)});`;
      const hashbang = result.code.startsWith('#!') ? result.code.indexOf('\n') + 1 : 0;
      const out = hashbang > 0 ? result.code.slice(0, hashbang) + install + result.code.slice(hashbang) : install + result.code;
      return { code: out, map: null };
    },
  };
}

export default asyncProf;
