// ES module hooks (module.register): run in Node's loader thread. They resolve TypeScript files
// the way TypeScript users write imports (`./util.js` for `util.ts`, or no extension) and hand
// Node instrumented JavaScript. CommonJS files are only classified here; the main thread's
// require hooks (cjs-hooks.ts) compile them.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SOURCE_FILE, declaredFormat, typeScriptAlternatives } from './module-format.js';
import { isTypeScript, transformSource } from './transform.js';

interface HookData {
  instrument: boolean;
  ownDir: string;
}

let options: HookData = { instrument: false, ownDir: '' };

export function initialize(data: HookData): void {
  options = data;
}

interface ResolveContext {
  parentURL?: string;
  conditions: string[];
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string; format?: string | null }>;

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const local = /^(\.{1,2}\/|\/|file:)/.test(specifier) && context.parentURL?.startsWith('file:');
    if (!local || (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'ERR_UNSUPPORTED_DIR_IMPORT')) throw error;
    for (const candidate of typeScriptAlternatives(specifier)) {
      try {
        return await nextResolve(candidate, context);
      } catch {
        // Try the next spelling.
      }
    }
    throw error;
  }
}

interface LoadContext {
  format?: string | null;
  conditions: string[];
}
type NextLoad = (url: string, context: LoadContext) => Promise<{ format: string; source?: string | ArrayBuffer | null }>;

export async function load(url: string, context: LoadContext, nextLoad: NextLoad) {
  if (!url.startsWith('file:')) return nextLoad(url, context);
  const file = fileURLToPath(url);
  if (!SOURCE_FILE.test(file) || (options.ownDir && file.startsWith(options.ownDir))) return nextLoad(url, context);
  const userCode = !file.includes('/node_modules/');
  if (!userCode && !isTypeScript(file)) return nextLoad(url, context);
  const result = transformSource(readFileSync(file, 'utf8'), file, declaredFormat(file), options.instrument && userCode);
  if (result.format === 'commonjs') {
    // No source: Node then loads it with the (hooked) CommonJS loader on the main thread.
    return { format: 'commonjs', source: null, shortCircuit: true };
  }
  return { format: 'module', source: result.code, shortCircuit: true };
}
