// What each call-tree node of the sampling profile is: the user's code, the profiler's own work,
// Node setting itself up. Answers are per node and memoised (a node stands for its whole stack).
import type { TraceModel } from '../model/types.js';

export function pathOf(url: string): string {
  return url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
}

export interface ProfileFrames {
  functionName(node: number): string;
  url(node: number): string;
  /** The script's own code: not Node, not node_modules, not WebAssembly, not the profiler. */
  isUser(node: number): boolean;
  /** A sample in this node is the profiler's own work (its stack passes through it). */
  isProfilerOwn(node: number): boolean;
  isIdle(node: number): boolean;
  /** The deepest user frame on the node's stack (itself included), or -1. */
  deepestUser(node: number): number;
  /** Node compiling its own modules or bundled WebAssembly somewhere on this stack. */
  isNodeSetup(node: number): boolean;
  /** One id per function (url, name, position): the nodes of one function on every call path share it. */
  functionKey(node: number): number;
}

export function profileFrames(model: TraceModel): ProfileFrames {
  const N = model.columns.samples.nodes;
  const str = N.strings;
  const profilerDir = model.profilerDir;
  const isUserString = new Map<number, boolean>();
  const userUrl = (u: number): boolean => {
    let known = isUserString.get(u);
    if (known === undefined) {
      const url = str[u]!;
      // WebAssembly (wasm://) has no source line to point at, and is most often a dependency's
      // (undici's llhttp, PGlite): the script's code is the JavaScript that called it.
      known =
        url !== '' && !url.startsWith('node:') && !url.startsWith('wasm://') && !url.includes('/node_modules/') && !(profilerDir && pathOf(url).startsWith(profilerDir));
      isUserString.set(u, known);
    }
    return known;
  };
  const profilerUrl = new Map<number, boolean>();
  const isProfilerFrame = (node: number): boolean => {
    const u = N.url[node]!;
    let known = profilerUrl.get(u);
    if (known === undefined) {
      const url = str[u]!;
      known = profilerDir !== '' && url !== '' && pathOf(url).startsWith(profilerDir);
      profilerUrl.set(u, known);
    }
    return known;
  };
  // Per node, what its whole stack says, filled parents first (a node's answer is its own
  // frame's, or its parent's): 1/0 for the profiler's own work, the deepest user frame (-1: none).
  //
  // The profiler's own work: a frame of the profiler's files (meta.profilerDir) that the script's
  // code did not call itself (its timers, its module loading, its exit handler: called by Node),
  // and everything it calls, until the script's code runs again (a timer wrapper calling the
  // script's callback). What the script's code calls directly (the instrumentation's calls in its
  // async functions, the wrappers of setTimeout and fetch) runs on its behalf and is the script's.
  // No list of function names: renaming one in instrument/ cannot change this.
  const own = new Int8Array(N.count).fill(-1);
  const deepest = new Int32Array(N.count).fill(-2);
  const setup = new Int8Array(N.count).fill(-1);
  const keys = new Int32Array(N.count).fill(-1);
  const keyOf = new Map<string, number>();
  const pending: number[] = [];
  const fill = (node: number) => {
    // Up to the first ancestor already known, then down again.
    let n = node;
    while (n >= 0 && own[n] === -1) {
      pending.push(n);
      n = N.parent[n]!;
    }
    while (pending.length > 0) {
      const m = pending.pop()!;
      const p = N.parent[m]!;
      const user = userUrl(N.url[m]!);
      own[m] = user ? 0 : isProfilerFrame(m) && !(p >= 0 && userUrl(N.url[p]!)) ? 1 : p >= 0 ? own[p]! : 0;
      deepest[m] = userUrl(N.url[m]!) ? m : p >= 0 ? deepest[p]! : -1;
    }
  };
  for (let node = 0; node < N.count; node++) if (own[node] === -1) fill(node);

  return {
    functionName: (node) => str[N.functionName[node]!]!,
    url: (node) => str[N.url[node]!]!,
    isUser: (node) => userUrl(N.url[node]!),
    isIdle: (node) => str[N.functionName[node]!] === '(idle)',
    isProfilerOwn: (node) => own[node] === 1,
    deepestUser: (node) => deepest[node]!,
    isNodeSetup: (node) => {
      if (setup[node] === -1) setup[node] = nodeSetupOnStack(model, node) ? 1 : 0;
      return setup[node] === 1;
    },
    functionKey: (node) => {
      if (keys[node] === -1) {
        const key = `${N.url[node]}\0${N.functionName[node]}\0${N.line[node]}\0${N.column[node]}`;
        let id = keyOf.get(key);
        if (id === undefined) keyOf.set(key, (id = keyOf.size));
        keys[node] = id;
      }
      return keys[node]!;
    },
  };
}

/**
 * Node setting itself up, anywhere on this stack (not only where the time went): compiling one
 * of its built-in modules, loading a dependency it bundles (undici's own module loader), or
 * running WebAssembly it bundles (llhttp) that Node's own code called: its functions and the
 * wrappers into and out of them, whose first call compiles each one. WebAssembly that the
 * script or a package of its own runs (PGlite) is not Node's.
 */
function nodeSetupOnStack(model: TraceModel, node: number): boolean {
  const N = model.columns.samples.nodes;
  const str = N.strings;
  const isWasm = (f: string) => f === 'GenericJSToWasmWrapper' || f.startsWith('wasm-function[') || f.startsWith('wasm-to-js:') || f.startsWith('js-to-wasm:');
  let wasmSeen = false;
  for (let n = node, depth = 0; n >= 0 && depth < 64; n = N.parent[n]!, depth++) {
    const f = str[N.functionName[n]!]!;
    const u = str[N.url[n]!]!;
    if (f === 'compileForInternalLoader' || u === 'node:internal/bootstrap/realm') return true;
    // The lazy module initialisation inside a bundled dependency (undici's own module loader).
    if (f === '__require' && u.startsWith('node:internal/deps/')) return true;
    if (isWasm(f)) {
      wasmSeen = true;
      continue;
    }
    // Past the WebAssembly frames, the code that called into them: Node's own, or not.
    if (wasmSeen && u !== '' && !u.startsWith('wasm://')) {
      if (u.startsWith('node:internal/')) return true;
      wasmSeen = false;
    }
  }
  return false;
}
