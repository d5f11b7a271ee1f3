// CommonJS: instruments the program's files at the last step before V8 compiles them,
// Module.prototype._compile. Node (or tsx, or the program's own loader such as babel-register)
// has already decided everything else: how the file was found, read and compiled, and whether
// it is CommonJS at all (require() of an ES module goes through here with format 'module').
// Whatever calls _compile with whatever code, that code is what gets instrumented.
import { createRequire } from 'node:module';
import { registerModule } from './module-registry.js';
import { primordials } from './primordials.js';
import { isProgramFile, type InstrumentScope } from './scope.js';
import { describeFailure, instrument, isInstrumented, type SourceType } from './transform.js';

const require = createRequire(import.meta.url);

interface ModulePrototype {
  _compile(this: unknown, content: string, filename: string, format?: string): unknown;
}

export interface CompileHookOptions {
  scope: InstrumentScope;
  allocateIds(count: number): number;
  /** Called before the first program file runs: time zero. */
  beforeFirstProgramFile(): void;
  warn(message: string): void;
  /** Time the profiler itself held the loop (transforming a file): not the program's lag. */
  ownWork(ms: number): void;
}

export function installCompileHook(options: CompileHookOptions): void {
  const Module = require('node:module') as { prototype: ModulePrototype };
  const original = Module.prototype._compile;
  let started = false;

  // Named as Node's own: the frame is taken out of stack traces (fidelity/stack-trace.ts), and
  // a program that prints the function's name sees the one it would see bare.
  const _compile = function _compile(this: unknown, content: string, filename: string, format?: string) {
    const args = primordials.arrayFrom(arguments) as unknown[];
    if (typeof content === 'string' && typeof filename === 'string' && isProgramFile(filename, options.scope) && !isInstrumented(content)) {
      const sourceType: SourceType | 'detect' = format === 'module' ? 'module' : format === 'commonjs' ? 'script' : 'detect';
      const startedAt = primordials.now();
      try {
        const result = instrument(content, { file: filename, sourceType, allocateIds: options.allocateIds });
        args[0] = result.code;
        registerModule(filename, { code: result.code, edits: result.edits, columns: result.columns }, result.table);
      } catch (error) {
        options.warn(describeFailure(filename, error));
      }
      options.ownWork(primordials.now() - startedAt);
      if (!started) {
        started = true;
        options.beforeFirstProgramFile();
      }
    }
    return primordials.apply(original, this, args);
  };
  Module.prototype._compile = _compile as ModulePrototype['_compile'];
}

