// Who held the loop during a blocking stretch: the hottest function of user code (its samples
// summed over every path it was called from), the line inside it that took the most samples,
// the call path above it, and where the time went when that was outside user code.
import type { Frame, TraceModel } from '../model/types.js';
import { relativeFile } from '../model/relative-file.js';
import { pathOf, type ProfileFrames } from './profile-frames.js';
import type { Blocking } from './results.js';

const UNATTRIBUTED = new Set(['(program)', '(garbage collector)', '(root)']);
const MAX_STACK = 32;

type Attribution = Omit<Blocking, 'endMs' | 'cpuMs' | 'cpuWaitMs' | 'awaitsResumed' | 'longestRunMs' | 'resourceCallbacks'>;

export function attributeStretch(model: TraceModel, frames: ProfileFrames, samples: readonly number[], startMs: number, durationMs: number): Attribution {
  const P = model.columns.samples;
  const N = P.nodes;
  // Counted per function, not per call-tree node: a function called from several places has one
  // node per call path, and its samples would be split between them.
  const userCounts = new FunctionCounts(frames);
  const leafCounts = new FunctionCounts(frames);
  for (const i of samples) {
    const node = P.node[i]!;
    const user = frames.deepestUser(node);
    if (user >= 0) userCounts.add(user);
    if (!UNATTRIBUTED.has(frames.functionName(node)) && (user < 0 || user !== node)) leafCounts.add(node);
  }
  const user = userCounts.hottest();
  const leaf = leafCounts.hottest();
  const frameOf = (node: number, line = N.line[node]! + 1): Frame => {
    const url = frames.url(node);
    return { function: frames.functionName(node) || '(anonymous)', file: url ? relativeFile(model.cwd, url) : '(native)', line };
  };

  // The function's own stack is the call path that took most of its samples.
  const main = user?.node ?? leaf?.node ?? P.node[samples[0]!]!;
  const mainFrame = frameOf(main, user ? hotLine(model, frames, user.nodes) : N.line[main]! + 1);
  const stack: Frame[] = [];
  for (let n = N.parent[main]!; n >= 0 && stack.length < MAX_STACK; n = N.parent[n]!) {
    if (frames.functionName(n) === '(root)') break;
    stack.push(frameOf(n));
  }
  let setupSamples = 0;
  let selfTicks = 0;
  for (const i of samples) {
    const node = P.node[i]!;
    if (frames.isNodeSetup(node)) setupSamples++;
    if (user && user.nodes.has(node)) selfTicks++;
  }
  const inside = user && leaf && leaf.count > selfTicks ? frameOf(leaf.node) : null;
  return {
    startMs,
    durationMs,
    taskId: null,
    function: mainFrame.function,
    file: mainFrame.file,
    line: mainFrame.line,
    stack,
    inside,
    // A third or more: the rest of such a stretch is mostly the same first call running cold.
    nodeSetup: setupSamples * 3 >= samples.length,
    samples: samples.length,
  };
}

/** The line inside the function that took the most samples (over all its call paths); the function's line otherwise. */
function hotLine(model: TraceModel, frames: ProfileFrames, functionNodes: Set<number>): number {
  const N = model.columns.samples.nodes;
  const first = functionNodes.values().next().value as number;
  const start = N.line[first]! + 1;
  const end = model.functionRanges.get(pathOf(frames.url(first)))?.get(start) ?? Number.POSITIVE_INFINITY;
  const ticksByLine = new Map<number, number>();
  for (const node of functionNodes) {
    const ticks = N.ticks[node] ?? [];
    for (let i = 0; i < ticks.length; i += 2) {
      const line = ticks[i]!;
      if (line >= start && line <= end) ticksByLine.set(line, (ticksByLine.get(line) ?? 0) + ticks[i + 1]!);
    }
  }
  let best = start;
  let bestTicks = 0;
  for (const [line, ticks] of ticksByLine) {
    if (ticks > bestTicks) {
      best = line;
      bestTicks = ticks;
    }
  }
  return best;
}

/** Samples per function (url, name and position), with the call-tree nodes they fell in. */
class FunctionCounts {
  private readonly byFunction = new Map<number, { count: number; nodes: Map<number, number> }>();

  constructor(private readonly frames: ProfileFrames) {}

  add(node: number): void {
    const key = this.frames.functionKey(node);
    let entry = this.byFunction.get(key);
    if (!entry) {
      entry = { count: 0, nodes: new Map() };
      this.byFunction.set(key, entry);
    }
    entry.count++;
    entry.nodes.set(node, (entry.nodes.get(node) ?? 0) + 1);
  }

  /** The function with the most samples, its busiest node, and all its nodes; null if none. */
  hottest(): { node: number; count: number; nodes: Set<number> } | null {
    let best: { count: number; nodes: Map<number, number> } | null = null;
    for (const entry of this.byFunction.values()) if (best === null || entry.count > best.count) best = entry;
    if (best === null) return null;
    let node = -1;
    let nodeCount = 0;
    for (const [candidate, count] of best.nodes) {
      if (count > nodeCount) {
        node = candidate;
        nodeCount = count;
      }
    }
    return { node, count: best.count, nodes: new Set(best.nodes.keys()) };
  }
}
