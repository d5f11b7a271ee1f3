// Loading a package with its own code instrumented must give the program the same package:
// load-entry.mjs prints what the entry exports, bare and under `async-prof run
// --instrument-modules <package>`, and the two must match byte for byte. The trace must show that
// the package's files really were instrumented, or a profiler that ignored the option would pass.
import { join } from 'node:path';
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './corpus-files.js';
import { CORPUS, instrumentedNames, type CorpusPackage } from './packages.js';
import { instrumentedModules, newTracePath, ofPackage, optionMissing, removeTraces, requireBuilt, run, runBare, runInstrumented, withoutProfilerLines, type Outcome } from './processes.js';

const loadEntry = join(repoRoot, 'test', 'npm-corpus', 'load-entry.mjs');
type Mode = 'import' | 'require';

interface Comparison {
  bare: Outcome;
  instrumented: Outcome;
  /** Files of instrumented code registered in the trace. */
  modules: string[];
}

// Two child processes at a time: the machine has two cores, and each run is mostly start-up.
const limit = pLimit(2);
const comparisons = new Map<string, Promise<Comparison>>();
const requireSupport = new Map<string, Promise<boolean>>();

/**
 * Whether the package itself offers a CommonJS entry. Node 20.19+ can require() an ES module
 * too, but a package that only ships ES modules is loaded with import by its users.
 */
function supportsRequire(name: string): Promise<boolean> {
  let known = requireSupport.get(name);
  if (!known) {
    known = limit(() => run(['--no-experimental-require-module', loadEntry, name, 'require'])).then((o) => o.code === 0);
    requireSupport.set(name, known);
  }
  return known;
}

/** Thrown for a require() comparison of a package that has no CommonJS entry. */
class SkipMode extends Error {}

function compare(pkg: CorpusPackage, mode: Mode): Promise<Comparison> {
  const key = `${pkg.name} ${mode}`;
  let pending = comparisons.get(key);
  if (!pending) {
    pending = (async () => {
      if (mode === 'require' && !(await supportsRequire(pkg.name))) throw new SkipMode();
      const bare = await limit(() => runBare(loadEntry, [pkg.name, mode]));
      const trace = newTracePath(`${pkg.name}-${mode}`);
      const instrumented = await limit(() => runInstrumented(loadEntry, [pkg.name, mode], instrumentedNames(pkg), trace));
      return { bare, instrumented, modules: instrumentedModules(trace) };
    })();
    // Started ahead of its test: keep an early failure from counting as unhandled.
    pending.catch(() => {});
    comparisons.set(key, pending);
  }
  return pending;
}

const exportsPart = (stdout: string) => stdout.split('\n').filter((l) => !l.startsWith('source ')).join('\n');
const sourcePart = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('source ')).join('\n');

beforeAll(() => requireBuilt());
afterAll(async () => {
  // Runs started ahead (prefetchAfter) may still be writing their traces.
  await Promise.allSettled(comparisons.values());
  removeTraces();
});

/** Starts the next package's runs while this one's are compared (ahead by one, so -t stays cheap). */
function prefetchAfter(pkg: CorpusPackage): void {
  const next = CORPUS[CORPUS.indexOf(pkg) + 1];
  if (next) for (const mode of ['import', 'require'] as const) void compare(next, mode);
}

describe.each(CORPUS.map((pkg) => [pkg.name, pkg] as const))('npm corpus: load %s', (name, pkg) => {
  describe.each(['import', 'require'] as const)('with %s', (mode) => {
    const get = async (skip: (note?: string) => void): Promise<Comparison> => {
      prefetchAfter(pkg);
      try {
        const result = await compare(pkg, mode);
        if (optionMissing(result.instrumented)) {
          throw new Error('`async-prof run` has no --instrument-modules option yet: the package could not be instrumented');
        }
        return result;
      } catch (error) {
        if (error instanceof SkipMode) skip(`${name} has no CommonJS entry`);
        throw error;
      }
    };

    it('exports the same keys, types, names and lengths bare and instrumented', async ({ skip }) => {
      const { bare, instrumented } = await get(skip);
      expect(bare.code, `bare run failed:\n${bare.stderr}`).toBe(0);
      expect({ code: instrumented.code, stdout: exportsPart(instrumented.stdout), stderr: withoutProfilerLines(instrumented.stderr) }).toEqual({
        code: bare.code,
        stdout: exportsPart(bare.stdout),
        stderr: withoutProfilerLines(bare.stderr),
      });
    });

    it("instruments the package's own files", async ({ skip }) => {
      const { modules } = await get(skip);
      const own = ofPackage(modules, name);
      expect(own.length, `no file under node_modules/${name}/ registered in the trace (${modules.length} instrumented modules in all)`).toBeGreaterThan(0);
    });

    it('shows the original source of exported functions (Function.prototype.toString)', async ({ skip }) => {
      const { bare, instrumented } = await get(skip);
      expect(sourcePart(instrumented.stdout)).toEqual(sourcePart(bare.stdout));
    });
  });
});

