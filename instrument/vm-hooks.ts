// Modules that a module runner evaluates itself, through node:vm, never pass through Node's
// loaders: vitest compiles each test file with Vite in its main process and evaluates the result
// in its worker with `vm.runInThisContext(code, { filename })`. Wrapping that function is where
// such code can still be instrumented, in the process that runs it.
//
// Why here and not by adding the vite plugin (src/vite-plugin.ts) to vitest's config: the config
// is resolved in vitest's main process, by vitest's own code, which offers no hook a preload could
// use without depending on its internals; the plugin's function ids would be allocated in that
// process, apart from the ids of the worker that runs the code; and Vite moves lines (its SSR
// transform hoists imports), which the plugin can only avoid by coming first. Here the code is
// already JavaScript (no types to strip), carries Vite's source map inline (original lines), and
// the worker's own recorder hands out the ids. The rules for which files are the program's are
// the loader hooks' (scope.ts).
//
// Only runInThisContext: code compiled for another context (runInContext, vm.Script run
// elsewhere) would find no recorder there. The wrapper has the original's name, length and text
// (to-string.ts), its frame is left out of stack traces (stack-trace.ts), and any failure of ours
// evaluates the code exactly as it was given.
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { disguiseAs } from './fidelity/stack-trace.js';
import { registerModule } from './module-registry.js';
import { primordials } from './primordials.js';
import { fileOfModuleId, isProgramFile, type InstrumentScope } from './scope.js';
import { findInlineMap } from './source-map.js';
import { describeFailure, instrument, isInstrumented } from './transform.js';
import type { CompileHookOptions } from './cjs-hooks.js';

const require = createRequire(import.meta.url);

type RunInThisContext = (code: string, options?: unknown) => unknown;

interface VmOptions {
  filename?: unknown;
  lineOffset?: unknown;
  columnOffset?: unknown;
}

export function installVmHook(options: CompileHookOptions): void {
  try {
    const vm = require('node:vm') as { runInThisContext: RunInThisContext };
    const original = vm.runInThisContext;
    const descriptor = primordials.getOwnPropertyDescriptor(vm, 'runInThisContext');
    if (typeof original !== 'function' || descriptor === undefined || !('value' in descriptor)) return;
    const runInThisContext = function runInThisContext(this: unknown, code: string, vmOptions?: unknown) {
      const args = primordials.arrayFrom(arguments) as unknown[];
      const instrumented = instrumentEvaluated(code, vmOptions, options);
      if (instrumented !== null) args[0] = instrumented;
      return primordials.apply(original as (...a: unknown[]) => unknown, this, args);
    };
    // Node's name and arity (the bundler may rename the function above).
    primordials.defineProperty(runInThisContext, 'name', { value: original.name, configurable: true });
    primordials.defineProperty(runInThisContext, 'length', { value: original.length, configurable: true });
    disguiseAs(runInThisContext, original);
    primordials.defineProperty(vm, 'runInThisContext', { ...descriptor, value: runInThisContext });
    // `import { runInThisContext } from 'node:vm'` reads the same binding.
    syncBuiltinESMExports();
  } catch {
    // Code evaluated through vm then runs uninstrumented, as it would bare.
  }
}

/** The code to evaluate instead, or null to evaluate the program's code as it is. */
function instrumentEvaluated(code: unknown, vmOptions: unknown, options: CompileHookOptions): string | null {
  let file: string | null = null;
  try {
    if (typeof code !== 'string' || vmOptions === null || typeof vmOptions !== 'object') return null;
    const { filename, lineOffset, columnOffset } = vmOptions as VmOptions;
    if (typeof filename !== 'string') return null;
    // Lines shifted by the caller would not be the lines the module's table names.
    if (lineOffset !== undefined && lineOffset !== 0) return null;
    file = fileOfModuleId(filename);
    if (file === null || !isProgramFile(file, options.scope) || isInstrumented(code)) return null;
    const startedAt = primordials.now();
    let result;
    try {
      const inputMap = findInlineMap(code) ?? undefined;
      result = instrument(code, { file, sourceType: 'script', allocateIds: options.allocateIds, inputMap, moduleWrapper: true });
    } finally {
      options.ownWork(primordials.now() - startedAt);
    }
    registerModule(filename, { code: result.code, edits: result.edits, columns: onFirstLine(result.columns, columnOffset) }, result.table);
    options.beforeFirstProgramFile();
    return result.code;
  } catch (error) {
    try {
      if (file !== null) options.warn(describeFailure(file, error));
    } catch {
      // The profiler never adds a failure of its own to the program's.
    }
    return null;
  }
}

/**
 * V8 counts the columns of the script's first line from `columnOffset` (vitest passes minus the
 * length of its wrapper's head, so that the module's own text starts at column 0): the
 * insertions' columns on that line are counted the same way.
 */
function onFirstLine(columns: number[] | null, columnOffset: unknown): number[] | null {
  if (columns === null || typeof columnOffset !== 'number' || columnOffset === 0) return columns;
  const moved = columns.slice();
  for (let i = 0; i < moved.length && moved[i] === 1; i += 3) moved[i + 1] = moved[i + 1]! + columnOffset;
  return moved;
}
