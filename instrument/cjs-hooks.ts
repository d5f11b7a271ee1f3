// require() hooks on the main thread: compile TypeScript and instrument user CommonJS files.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { declaredFormat, typeScriptAlternatives } from './module-format.js';
import { excludeFromLag } from './lag.js';
import { transformSource } from './transform.js';

const require = createRequire(import.meta.url);

interface CjsModule {
  _compile(code: string, filename: string): unknown;
}
type ExtensionHandler = (module: CjsModule, filename: string) => void;
interface ModuleStatics {
  _extensions: Record<string, ExtensionHandler>;
  _resolveFilename: (request: string, parent: unknown, ...rest: unknown[]) => string;
}

export function installRequireHooks(options: { instrument: boolean; ownDir: string }): void {
  const Module = require('node:module') as ModuleStatics;
  const originalJs = Module._extensions['.js']!;

  const compile: ExtensionHandler = (module, filename) => {
    const userCode = !filename.includes('/node_modules/') && !(options.ownDir && filename.startsWith(options.ownDir));
    const started = performance.now();
    const result = transformSource(readFileSync(filename, 'utf8'), filename, declaredFormat(filename) ?? 'commonjs', options.instrument && userCode);
    excludeFromLag(performance.now() - started);
    if (result.format === 'module') {
      throw new Error(`async-prof: ${filename} is an ES module; load it with import, not require()`);
    }
    module._compile(result.code, filename);
  };

  for (const ext of ['.ts', '.cts', '.tsx']) Module._extensions[ext] = compile;
  for (const ext of ['.js', '.cjs']) {
    const original = Module._extensions[ext] ?? originalJs;
    Module._extensions[ext] = (module, filename) => {
      const userCode = !filename.includes('/node_modules/') && !(options.ownDir && filename.startsWith(options.ownDir));
      if (!userCode || !options.instrument || declaredFormat(filename) === 'module') return original(module, filename);
      return compile(module, filename);
    };
  }

  const originalResolve = Module._resolveFilename;
  Module._resolveFilename = function (this: unknown, request: string, parent: unknown, ...rest: unknown[]) {
    try {
      return originalResolve.call(this, request, parent, ...rest);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND' || !/^\.{1,2}\//.test(request)) throw error;
      for (const candidate of typeScriptAlternatives(request)) {
        try {
          return originalResolve.call(this, candidate, parent, ...rest);
        } catch {
          // Try the next spelling.
        }
      }
      throw error;
    }
  };
}
