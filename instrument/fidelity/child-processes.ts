// Node child processes (spawn, fork, exec and execFile of `node`, cluster workers) are recorded
// into parts of the trace of their own: every asynchronous way of starting a process goes through
// ChildProcess.prototype.spawn, which is wrapped to add, for a child that is Node, the preload to
// its NODE_OPTIONS and the profiler's variables to its environment (never to the program's own
// objects: the options' envPairs are built by Node for this call). The child's preload takes the
// variables out again and puts NODE_OPTIONS back as the parent gave it, so the child sees its
// environment as bare. The synchronous starts do not go through it: spawnSync and execFileSync of
// `node`, and execSync of a command whose first word is `node`, are wrapped to run with a copy of
// the program's options whose env has the same additions (the program's objects stay as they
// were). Other programs are not touched; a child that is not Node is a childProcess resource.
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { basename } from 'node:path';
import { ENV, processPartPath } from '../../contract/index.js';
import { primordials } from '../primordials.js';
import { disguiseAs } from './stack-trace.js';
import { recordOtherPrograms, type OtherPrograms } from '../other-programs.js';

interface SpawnOptions {
  file?: unknown;
  envPairs?: unknown;
}

const NODE_NAMES = new Set(['node', 'node.exe', 'nodejs']);

function isNode(file: unknown): boolean {
  return typeof file === 'string' && (file === process.execPath || NODE_NAMES.has(basename(file)));
}

/** Quotes a path for NODE_OPTIONS (which splits on spaces). */
function quoted(path: string): string {
  return `"${path.replace(/(["\\])/g, '\\$1')}"`;
}

type Settings = { preloadCjs: string; tracePath: string; env: Record<string, string | undefined> };

export function carryProfilerIntoNodeChildren(settings: Settings): void {
  let started = 0;
  // One count for both ways of starting a child: each child its own part file.
  const nextPart = () => processPartPath(settings.tracePath, process.pid, ++started);
  // The others: their span and exit, written by this process (started asynchronously only).
  const others = recordOtherPrograms({ isNode, nextPart, cwd: settings.env[ENV.cwd] || process.cwd() });
  carryIntoAsynchronousStarts(settings, nextPart, others);
  carryIntoSynchronousStarts(settings, nextPart);
}

function carryIntoAsynchronousStarts(settings: Settings, nextPart: () => string, others: OtherPrograms): void {
  try {
    const childProcess = createRequire(import.meta.url)('node:child_process') as { ChildProcess: { prototype: Record<string, unknown> } };
    const proto = childProcess.ChildProcess.prototype;
    const descriptor = primordials.getOwnPropertyDescriptor(proto, 'spawn');
    const original = descriptor?.value as ((...args: unknown[]) => unknown) | undefined;
    if (typeof original !== 'function') return;
    // Anonymous, as Node's own (its name is '').
    const spawn = [
      function (this: unknown, options: SpawnOptions) {
        try {
          if (typeof options === 'object' && options !== null && isNode(options.file) && primordials.isArray(options.envPairs)) {
            addProfiler(options.envPairs as string[], settings, nextPart());
          }
        } catch {
          // The child then runs unrecorded, as it would bare.
        }
        const atMs = primordials.now();
        const epochMs = primordials.dateNow();
        const result = primordials.apply(original, this, primordials.arrayFrom(arguments));
        try {
          if (typeof this === 'object' && this !== null) others.spawned(this, options, atMs, epochMs);
        } catch {
          // Then it is not shown as a process: its childProcess resource still is.
        }
        return result;
      },
    ][0]!;
    disguiseAs(spawn, original);
    primordials.defineProperty(proto, 'spawn', { ...descriptor, value: spawn });
  } catch {
    // Children run unrecorded, as they would bare.
  }
}

function addProfiler(pairs: string[], settings: { preloadCjs: string; env: Record<string, string | undefined> }, part: string): void {
  let nodeOptions = '';
  for (let i = pairs.length - 1; i >= 0; i--) {
    const pair = pairs[i]!;
    if (pair.startsWith('NODE_OPTIONS=')) {
      nodeOptions = pair.slice('NODE_OPTIONS='.length);
      pairs.splice(i, 1);
    } else if (pair.startsWith('ASYNC_PROF_')) {
      pairs.splice(i, 1);
    }
  }
  pairs.push(`NODE_OPTIONS=--require ${quoted(settings.preloadCjs)}${nodeOptions ? ` ${nodeOptions}` : ''}`);
  pairs.push(`${ENV.nodeOptions}=${nodeOptions}`);
  for (const [name, value] of Object.entries(settings.env)) {
    if (value === undefined || name === ENV.nodeOptions) continue;
    pairs.push(`${name}=${name === ENV.trace ? part : name === ENV.runtime ? 'node' : value}`);
  }
}

/** spawnSync(file, args?, options?), execFileSync(file, args?, options?), execSync(command, options?). */
function carryIntoSynchronousStarts(settings: Settings, nextPart: () => string): void {
  try {
    const childProcess = createRequire(import.meta.url)('node:child_process') as Record<string, unknown>;
    const wrap = (name: string, nodeIn: (args: unknown[]) => boolean, optionsAt: (args: unknown[]) => number) => {
      const descriptor = primordials.getOwnPropertyDescriptor(childProcess, name);
      const original = descriptor?.value as ((...args: unknown[]) => unknown) | undefined;
      if (typeof original !== 'function' || descriptor === undefined) return;
      // A plain function, as Node's (a prototype of its own), with Node's name and arity.
      const wrapped = function (this: unknown) {
        let args = primordials.arrayFrom(arguments);
        try {
          if (nodeIn(args)) args = withProfilerOptions(args, optionsAt(args), settings, nextPart());
        } catch {
          // The child then runs unrecorded, as it would bare.
        }
        return primordials.apply(original, this, args);
      };
      primordials.defineProperty(wrapped, 'name', { value: original.name, configurable: true });
      primordials.defineProperty(wrapped, 'length', { value: original.length, configurable: true });
      disguiseAs(wrapped, original);
      primordials.defineProperty(childProcess, name, { ...descriptor, value: wrapped });
    };
    // (file, options) when the second argument is not an array of arguments.
    const afterFile = (args: unknown[]) => (primordials.isArray(args[1]) || args[1] == null ? 2 : 1);
    wrap('spawnSync', (args) => isNode(args[0]) && !hasShell(args[afterFile(args)]), afterFile);
    wrap('execFileSync', (args) => isNode(args[0]) && !hasShell(args[afterFile(args)]), afterFile);
    wrap('execSync', (args) => typeof args[0] === 'string' && isNode(firstWord(args[0])), () => 1);
    // `import { spawnSync } from 'node:child_process'` reads the same bindings.
    syncBuiltinESMExports();
  } catch {
    // Children run unrecorded, as they would bare.
  }
}

function hasShell(options: unknown): boolean {
  return typeof options === 'object' && options !== null && Boolean((options as { shell?: unknown }).shell);
}

/** The program a shell command starts, without quotes: `node x.js`, `"/usr/bin/node" x.js`. */
function firstWord(command: string): string {
  const match = /^\s*(?:"([^"]+)"|'([^']+)'|(\S+))/.exec(command);
  return match === null ? '' : (match[1] ?? match[2] ?? match[3] ?? '');
}

/** The call's arguments with, at `at`, a copy of its options whose env carries the profiler. */
function withProfilerOptions(args: unknown[], at: number, settings: Settings, part: string): unknown[] {
  const given = args[at];
  const options = typeof given === 'object' && given !== null ? (given as { env?: unknown }) : {};
  const env = (typeof options.env === 'object' && options.env !== null ? options.env : process.env) as Record<string, unknown>;
  const pairs: string[] = [];
  for (const key of primordials.objectKeys(env)) if (env[key] !== undefined) pairs.push(`${key}=${primordials.String(env[key])}`);
  addProfiler(pairs, settings, part);
  const childEnv: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    childEnv[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const copy = primordials.arrayFrom(args);
  while (copy.length < at) copy.push(undefined);
  copy[at] = { ...options, env: childEnv };
  return copy;
}
