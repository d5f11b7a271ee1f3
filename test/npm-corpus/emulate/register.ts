// Stand-in for `async-prof run --instrument-modules`, for as long as the CLI lacks it: loaded with
// `--import` next to async-prof's preload, it instruments the files of the packages named in
// ASYNC_PROF_INSTRUMENT_MODULES like user code, through the same transform. Only the corpus
// tests use it (NPM_CORPUS_EMULATE=1), to see today what instrumented packages would do.
import { readFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { instrumentFile } from '../instrument-file.js';
import { declaredFormat } from '../node-format.js';
import { INSTRUMENT_MODULES_ENV, isChosen, namesFrom } from './module-names.js';

const require = createRequire(import.meta.url);
// NODE_OPTIONS reaches the CLI process too (which loads express for its own server): only the
// profiled process, started with async-prof's preload, is to be instrumented.
const profiled = process.execArgv.some((arg) => /instrument[\\/]preload\.js$/.test(arg));
const names = profiled ? namesFrom(process.env[INSTRUMENT_MODULES_ENV]) : [];

interface CjsModule {
  _compile(code: string, filename: string): unknown;
}
type Handler = (module: CjsModule, filename: string) => void;
const Module = require('node:module') as { _extensions: Record<string, Handler> };

if (names.length > 0) {
  register(new URL('./hooks.mjs', import.meta.url), { data: { names } });
  const javaScript = Module._extensions['.js']!;
  for (const ext of ['.js', '.cjs']) {
    // Node 20 has no handler of its own for .cjs: the .js one compiles those files.
    const original = Module._extensions[ext] ?? javaScript;
    Module._extensions[ext] = (module, filename) => {
      if (!isChosen(filename, names)) return original(module, filename);
      const source = readFileSync(filename, 'utf8');
      const out = instrumentFile(source, filename, declaredFormat(filename));
      // An ES module reached through require(): Node's own path (require(esm)) handles it.
      if (out.format === 'module') return original(module, filename);
      module._compile(out.code, filename);
    };
  }
}
