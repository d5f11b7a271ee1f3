// What each call-tree node of the sampling profile is: the user's code, the profiler's own work,
// Node setting itself up. Answers are per node and memoised (a node stands for its whole stack).
import type { TraceModel } from '../model/types.js';

/** Entry points of the profiler's own work inside the profiled process (instrument/). */
const OWN_WORK = new Set(['transformSource', 'flush', 'periodic', 'finish', 'cut', 'writeRecord', 'writeJson']);

export function pathOf(url: string): string {
  return url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
}

export interface ProfileFrames {
  functionName(node: number): string;
  url(node: number): string;
  /** The script's own code: not Node, not node_modules, not the profiler. */
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
      known = url !== '' && !url.startsWith('node:') && !url.includes('/node_modules/') && !(profilerDir && pathOf(url).startsWith(profilerDir));
      isUserString.set(u, known);
    }
    return known;
  };
  const ownHere = (node: number): boolean => {
    const url = str[N.url[node]!]!;
    return profilerDir !== '' && url !== '' && OWN_WORK.has(str[N.functionName[node]!]!) && pathOf(url).startsWith(profilerDir);
  };
  // -2: not computed. For ownStack: 0/1.
  const own = new Int8Array(N.count).fill(-1);
  const deepest = new Int32Array(N.count).fill(-2);
  const setup = new Int8Array(N.count).fill(-1);
  const keys = new Int32Array(N.count).fill(-1);
  const keyOf = new Map<string, number>();

  // Parents come before their children in each chunk's node list, but not always: walk up
  // iteratively and fill in on the way back.
  const chain: number[] = [];
  const memoUp = (node: number, memo: { get(n: number): number; set(n: number, v: number): void; unknown: number }, here: (n: number, parentValue: number) => number): number => {
    chain.length = 0;
    let n = node;
    while (n >= 0 && memo.get(n) === memo.unknown) {
      chain.push(n);
      n = N.parent[n]!;
    }
    let value = n >= 0 ? memo.get(n) : Number.NaN;
    for (let k = chain.length - 1; k >= 0; k--) {
      value = here(chain[k]!, value);
      memo.set(chain[k]!, value);
    }
    return value;
  };
  const ownMemo = { get: (n: number) => own[n]!, set: (n: number, v: number) => void (own[n] = v), unknown: -1 };
  const deepestMemo = { get: (n: number) => deepest[n]!, set: (n: number, v: number) => void (deepest[n] = v), unknown: -2 };

  return {
    functionName: (node) => str[N.functionName[node]!]!,
    url: (node) => str[N.url[node]!]!,
    isUser: (node) => userUrl(N.url[node]!),
    isIdle: (node) => str[N.functionName[node]!] === '(idle)',
    isProfilerOwn: (node) => memoUp(node, ownMemo, (n, above) => (ownHere(n) || above === 1 ? 1 : 0)) === 1,
    deepestUser: (node) =>
      // The deepest user frame is the node itself if it is user code, else its parent's answer.
      memoUp(node, deepestMemo, (n, above) => (userUrl(N.url[n]!) ? n : Number.isNaN(above) ? -1 : above)),
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

/** Node compiling its own built-in modules, initialising a bundled dependency, or compiling the WebAssembly it bundles (undici's llhttp). */
function nodeSetupOnStack(model: TraceModel, node: number): boolean {
  const N = model.columns.samples.nodes;
  const str = N.strings;
  for (let n = node, depth = 0; n >= 0 && depth < 64; n = N.parent[n]!, depth++) {
    const f = str[N.functionName[n]!]!;
    const u = str[N.url[n]!]!;
    if (f === 'compileForInternalLoader' || u === 'node:internal/bootstrap/realm') return true;
    // The lazy module initialisation inside a bundled dependency (undici's own module loader).
    if (f === '__require' && u.startsWith('node:internal/deps/')) return true;
    if (f === 'GenericJSToWasmWrapper' || f.startsWith('wasm-function[')) return true;
  }
  return false;
}
