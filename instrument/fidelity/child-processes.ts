// Node child processes (spawn, fork, exec and execFile of `node`, cluster workers) are recorded
// into parts of the trace of their own: every asynchronous way of starting a process goes through
// ChildProcess.prototype.spawn, which is wrapped to add, for a child that is Node, the preload to
// its NODE_OPTIONS and the profiler's variables to its environment (never to the program's own
// objects: the options' envPairs are built by Node for this call). The child's preload takes the
// variables out again and puts NODE_OPTIONS back as the parent gave it, so the child sees its
// environment as bare. Synchronous starts (spawnSync, execSync) and other programs are not
// touched; a child that is not Node is a childProcess resource, as before.
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { ENV, processPartPath } from '../../contract/index.js';
import { primordials } from '../primordials.js';
import { disguiseAs } from './stack-trace.js';

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

export function carryProfilerIntoNodeChildren(settings: { preloadCjs: string; tracePath: string; env: Record<string, string | undefined> }): void {
  try {
    const childProcess = createRequire(import.meta.url)('node:child_process') as { ChildProcess: { prototype: Record<string, unknown> } };
    const proto = childProcess.ChildProcess.prototype;
    const descriptor = primordials.getOwnPropertyDescriptor(proto, 'spawn');
    const original = descriptor?.value as ((...args: unknown[]) => unknown) | undefined;
    if (typeof original !== 'function') return;
    let started = 0;
    // Anonymous, as Node's own (its name is '').
    const spawn = [
      function (this: unknown, options: SpawnOptions) {
        try {
          if (typeof options === 'object' && options !== null && isNode(options.file) && primordials.isArray(options.envPairs)) {
            addProfiler(options.envPairs as string[], settings, processPartPath(settings.tracePath, process.pid, ++started));
          }
        } catch {
          // The child then runs unrecorded, as it would bare.
        }
        return primordials.apply(original, this, primordials.arrayFrom(arguments));
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
