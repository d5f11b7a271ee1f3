// Blocking stretches from the V8 sampling profile: a stretch is a run of samples with no
// "(idle)" between them, i.e. time the loop could not poll. Each one over the threshold is
// attributed to the hottest frame of user code during it, and to the task that was running.
//
// A stretch is only blocking if the script was on the CPU for a good part of it. When the
// process is not running at all (a loaded machine preempts it, a stop signal), the profiler
// takes no samples: one short callback that was preempted for 60 ms looks like a 60 ms stretch
// with two samples and a hole. Such stretches are reported apart, as time off the CPU.
import type { ProfileChunk, ProfileNode } from '../../contract/index.js';
import type { Blocking, Frame, OffCpu, TraceModel } from '../model/types.js';
import type { RawTrace } from '../trace/read-trace.js';
import { relativeFile } from '../model/build-model.js';
import { isAwaitChain } from './await-chain.js';
import { lowerBound } from './waits.js';

interface Sample {
  at: number;
  node: ProfileNode;
}

const UNATTRIBUTED = new Set(['(program)', '(garbage collector)', '(root)']);
/** Entry points of the profiler's own work inside the profiled process (instrument/). */
const OWN_WORK = new Set(['instrument', 'flush', 'periodic', 'finish', 'cut', 'periodicCut', 'writeRecord', 'writeJson', 'drainLoaderMessages']);
/**
 * A gap between two samples counts as time on the CPU up to this many sampling intervals: the
 * sampler is late by a few intervals on a busy machine, while a hole of tens of intervals is
 * the process not running.
 */
const ON_CPU_GAP_INTERVALS = 4;
/** A stretch is blocking when at least this share of the threshold was spent on the CPU. */
const ON_CPU_SHARE = 0.5;

export function findBlocking(raw: RawTrace, model: TraceModel): { blocking: Blocking[]; offCpu: OffCpu[] } {
  const { meta } = raw;
  const threshold = meta.blockingThresholdMs;
  const maxGapMs = (ON_CPU_GAP_INTERVALS * (meta.samplingIntervalUs || 1000)) / 1000;
  const toModelMs = (us: number) => us / 1000 - meta.hrOriginMs - (raw.scriptStartMs ?? meta.originMs);
  const profilerDir = meta.profilerDir;
  const ranges = functionRanges(raw);
  const isUser = (node: ProfileNode) =>
    node.u !== '' && !node.u.startsWith('node:') && !node.u.includes('/node_modules/') && !(profilerDir && pathOf(node.u).startsWith(profilerDir));
  // The profiler's own work (compiling a required file, writing the trace) is not the script's.
  // Its runtime calls from user code are: they run inline, on the script's behalf.
  const isProfilerOwn = (node: ProfileNode) =>
    profilerDir !== '' && node.u !== '' && OWN_WORK.has(node.f) && pathOf(node.u).startsWith(profilerDir);

  const found: Blocking[] = [];
  const offCpu: OffCpu[] = [];
  for (const chunk of raw.profiles) {
    const nodes = new Map<number, ProfileNode>(chunk.nodes.map((n) => [n.id, n]));
    const ownWork = profilerSamples(chunk, nodes, isProfilerOwn);
    let stretch: Sample[] = [];
    let before = toModelMs(chunk.startTime);
    // Time the profiler spent on its own work inside the stretch: not the script's.
    let ownMs = 0;
    const close = (after: number) => {
      if (stretch.length > 0) {
        const first = stretch[0]!.at;
        const last = stretch[stretch.length - 1]!.at;
        // Each sample stands for the time since the previous one; split the edges in half.
        // Time zero is the script's first line: what ran before it (loading the script) is not the run's.
        const startMs = Math.max(0, first - (first - before) / 2);
        const durationMs = last + (after - last) / 2 - startMs - ownMs;
        if (durationMs >= threshold) {
          // The profiler's own work is left out of durationMs; it may still be in the gaps.
          const cpuMs = Math.min(onCpuMs(stretch, before, maxGapMs), durationMs);
          if (cpuMs >= threshold * ON_CPU_SHARE) {
            found.push({ ...attribute(stretch, startMs, durationMs, nodes, isUser, ranges, model, meta.cwd), cpuMs, awaitsResumed: 0, longestRunMs: 0, resourceCallbacks: 0 });
          }
          else offCpu.push({ startMs, durationMs, cpuMs, samples: stretch.length });
        }
      }
      stretch = [];
      ownMs = 0;
    };
    let t = chunk.startTime;
    let previous = toModelMs(t);
    for (let i = 0; i < chunk.samples.length; i++) {
      t += chunk.timeDeltas[i]!;
      const at = toModelMs(t);
      const node = nodes.get(chunk.samples[i]!);
      if (node && ownWork.has(node.id)) {
        // Only what falls after time zero: a stretch is cut there (startMs below).
        if (stretch.length > 0 && at > 0) ownMs += at - Math.max(0, previous);
      } else if (!node || node.f === '(idle)') {
        close(at);
        before = at;
      } else {
        if (stretch.length === 0) before = previous;
        stretch.push({ at, node });
      }
      previous = at;
    }
    close(toModelMs(chunk.endTime));
  }
  // Before time zero only modules were loading: nothing of the script's own ran yet.
  const afterStart = <T extends { startMs: number; durationMs: number }>(list: T[]) =>
    list.filter((b) => b.startMs + b.durationMs > 0).sort((a, b) => a.startMs - b.startMs);
  const blocking = afterStart(found);
  measureRunsInside(blocking, model);
  return { blocking, offCpu: afterStart(offCpu) };
}

/**
 * Fills in, for each stretch (sorted, not overlapping), how many awaits resumed and how many
 * timer and I/O callbacks ran inside it, and the longest time one task ran without a break
 * inside it. In a chain of awaits many tasks ran;
 * its task is then the one that resumed most often there (the loop that drove the chain), not
 * whichever was on the CPU at the stretch's middle. One pass over the run segments.
 */
function measureRunsInside(blocking: Blocking[], model: TraceModel): void {
  if (blocking.length === 0) return;
  const ends = blocking.map((b) => b.startMs + b.durationMs);
  const topTask = new Array<number | null>(blocking.length).fill(null);
  const topResumes = new Int32Array(blocking.length);
  // This task's resumes per stretch, and which stretches it touched.
  const resumes = new Int32Array(blocking.length);
  const touched: number[] = [];
  for (const task of model.tasks) {
    const segments = task.segments;
    for (let k = 0; k < segments.length; k++) {
      const seg = segments[k]!;
      if (seg.kind !== 'run') continue;
      // The first stretch that ends after the segment starts.
      let lo = 0;
      let hi = blocking.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (ends[mid]! <= seg.startMs) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < blocking.length && blocking[i]!.startMs < seg.endMs; i++) {
        const b = blocking[i]!;
        const inside = Math.min(seg.endMs, ends[i]!) - Math.max(seg.startMs, b.startMs);
        if (inside > b.longestRunMs) b.longestRunMs = inside;
        // A run that follows a wait is an await resuming.
        if (k > 0 && seg.startMs >= b.startMs) {
          b.awaitsResumed++;
          if (resumes[i]++ === 0) touched.push(i);
        }
      }
    }
    for (const i of touched) {
      if (resumes[i]! > topResumes[i]!) {
        topResumes[i] = resumes[i]!;
        topTask[i] = task.id;
      }
      resumes[i] = 0;
    }
    touched.length = 0;
  }
  for (const resource of model.resources) {
    for (const at of resource.callbacksMs) {
      const i = stretchAt(blocking, ends, at);
      if (i >= 0) blocking[i]!.resourceCallbacks++;
    }
  }
  blocking.forEach((b, i) => {
    if (isAwaitChain(b) && topTask[i] !== null) b.taskId = topTask[i]!;
  });
}

/** Index of the stretch that holds `atMs`, or -1. */
function stretchAt(blocking: Blocking[], ends: number[], atMs: number): number {
  const i = lowerBound(ends, atMs, (end) => end);
  return i < blocking.length && blocking[i]!.startMs <= atMs ? i : -1;
}

/** Time on the CPU in a stretch: each sample stands for the gap before it, holes capped. */
function onCpuMs(stretch: Sample[], before: number, maxGapMs: number): number {
  let total = 0;
  let previous = before;
  for (const { at } of stretch) {
    total += Math.min(at - previous, maxGapMs);
    previous = at;
  }
  return total;
}

function pathOf(url: string): string {
  return url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
}

/** Node ids whose stack passes through the profiler's own files. */
function profilerSamples(chunk: ProfileChunk, nodes: Map<number, ProfileNode>, own: (n: ProfileNode) => boolean): Set<number> {
  const result = new Set<number>();
  const memo = new Map<number, boolean>();
  const check = (id: number): boolean => {
    const cached = memo.get(id);
    if (cached !== undefined) return cached;
    const node = nodes.get(id);
    const value = node ? own(node) || (node.p !== 0 && check(node.p)) : false;
    memo.set(id, value);
    return value;
  };
  for (const node of chunk.nodes) if (check(node.id)) result.add(node.id);
  return result;
}

/** file (absolute) -> [start, end] line ranges of every function, from the transform. */
function functionRanges(raw: RawTrace): Map<string, Map<number, number>> {
  const result = new Map<string, Map<number, number>>();
  for (const mod of raw.modules) {
    const byStart = new Map<number, number>();
    for (let i = 0; i < mod.ranges.length; i += 2) {
      const start = mod.ranges[i]!;
      byStart.set(start, Math.max(byStart.get(start) ?? 0, mod.ranges[i + 1]!));
    }
    result.set(mod.file, byStart);
  }
  return result;
}

function attribute(
  stretch: Sample[],
  startMs: number,
  durationMs: number,
  nodes: Map<number, ProfileNode>,
  isUser: (n: ProfileNode) => boolean,
  ranges: Map<string, Map<number, number>>,
  model: TraceModel,
  cwd: string,
): Omit<Blocking, 'cpuMs' | 'awaitsResumed' | 'longestRunMs' | 'resourceCallbacks'> {
  const userOf = new Map<number, ProfileNode | null>();
  const deepestUser = (node: ProfileNode): ProfileNode | null => {
    if (userOf.has(node.id)) return userOf.get(node.id)!;
    let found: ProfileNode | null = null;
    for (let n: ProfileNode | undefined = node; n; n = n.p ? nodes.get(n.p) : undefined) {
      if (isUser(n)) {
        found = n;
        break;
      }
    }
    userOf.set(node.id, found);
    return found;
  };
  // Counted per function, not per call-tree node: a function called from several places has one
  // node per call path, and its samples would be split between them.
  const userCounts = new FunctionCounts();
  const leafCounts = new FunctionCounts();
  for (const { node } of stretch) {
    const user = deepestUser(node);
    if (user) userCounts.add(user);
    if (!UNATTRIBUTED.has(node.f) && (!user || user.id !== node.id)) leafCounts.add(node);
  }
  const user = userCounts.hottest();
  const leaf = leafCounts.hottest();
  const frameOf = (node: ProfileNode, line = node.l + 1): Frame => ({
    function: node.f || '(anonymous)',
    file: node.u ? relativeFile(cwd, node.u) : '(native)',
    line,
  });

  // The function's own stack is the call path that took most of its samples.
  const main = user?.node ?? leaf?.node ?? stretch[0]!.node;
  const mainFrame = frameOf(main, user ? hotLine(user.nodes, ranges) : main.l + 1);
  const stack: Frame[] = [];
  for (let n = main.p ? nodes.get(main.p) : undefined; n && stack.length < 32; n = n.p ? nodes.get(n.p) : undefined) {
    if (n.f === '(root)') break;
    stack.push(frameOf(n));
  }
  const setupSamples = stretch.filter((s) => isNodeSetup(s.node, nodes)).length;
  const selfTicks = user ? stretch.filter((s) => user.nodes.has(s.node)).length : 0;
  const inside = user && leaf && leaf.count > selfTicks ? frameOf(leaf.node) : null;
  return {
    startMs,
    durationMs,
    taskId: runningTask(model, startMs, durationMs),
    function: mainFrame.function,
    file: mainFrame.file,
    line: mainFrame.line,
    stack,
    inside,
    // A third or more: the rest of such a stretch is mostly the same first call running cold.
    nodeSetup: setupSamples * 3 >= stretch.length,
    samples: stretch.length,
  };
}

/** Node compiling its own built-in modules, initialising a bundled dependency, or compiling the WebAssembly it bundles (undici's llhttp). */
function isNodeSetup(node: ProfileNode, nodes: Map<number, ProfileNode>): boolean {
  for (let n: ProfileNode | undefined = node, depth = 0; n && depth < 64; n = n.p ? nodes.get(n.p) : undefined, depth++) {
    if (n.f === 'compileForInternalLoader' || n.u === 'node:internal/bootstrap/realm') return true;
    // The lazy module initialisation inside a bundled dependency (undici's own module loader).
    if (n.f === '__require' && n.u.startsWith('node:internal/deps/')) return true;
    if (n.f === 'GenericJSToWasmWrapper' || n.f.startsWith('wasm-function[')) return true;
  }
  return false;
}

/** The line inside the function that took the most samples (over all its call paths); the function's line otherwise. */
function hotLine(functionNodes: Set<ProfileNode>, ranges: Map<string, Map<number, number>>): number {
  const first = functionNodes.values().next().value as ProfileNode;
  const start = first.l + 1;
  const end = ranges.get(pathOf(first.u))?.get(start) ?? Number.POSITIVE_INFINITY;
  const ticksByLine = new Map<number, number>();
  for (const node of functionNodes) {
    const ticks = node.t ?? [];
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
  private readonly byFunction = new Map<string, { count: number; nodes: Map<ProfileNode, number> }>();

  add(node: ProfileNode): void {
    const key = `${node.u}\0${node.f}\0${node.l}\0${node.c}`;
    let entry = this.byFunction.get(key);
    if (!entry) {
      entry = { count: 0, nodes: new Map() };
      this.byFunction.set(key, entry);
    }
    entry.count++;
    entry.nodes.set(node, (entry.nodes.get(node) ?? 0) + 1);
  }

  /** The function with the most samples, its busiest node, and all its nodes; null if none. */
  hottest(): { node: ProfileNode; count: number; nodes: Set<ProfileNode> } | null {
    let best: { count: number; nodes: Map<ProfileNode, number> } | null = null;
    for (const entry of this.byFunction.values()) if (best === null || entry.count > best.count) best = entry;
    if (best === null) return null;
    let node: ProfileNode | null = null;
    let nodeCount = 0;
    for (const [candidate, count] of best.nodes) {
      if (count > nodeCount) {
        node = candidate;
        nodeCount = count;
      }
    }
    return { node: node!, count: best.count, nodes: new Set(best.nodes.keys()) };
  }
}

/** The innermost task on the CPU during the stretch: a run segment covering its middle (ties on the clock go to the task created last, the deeper one). */
function runningTask(model: TraceModel, startMs: number, durationMs: number): number | null {
  const middle = startMs + durationMs / 2;
  let best: number | null = null;
  let bestStart = Number.NEGATIVE_INFINITY;
  for (const task of model.tasks) {
    if (task.startMs > middle || (task.endMs !== null && task.endMs < middle)) continue;
    for (const segment of task.segments) {
      if (segment.kind === 'run' && segment.startMs <= middle && segment.endMs >= middle && segment.startMs >= bestStart) {
        best = task.id;
        bestStart = segment.startMs;
      }
    }
  }
  return best;
}
