// V8's sampling profiler, in-process, for attributing blocking stretches to code. Samples are
// taken by V8 off the main thread's JS path; every few seconds the profile so far is written to
// the trace as a chunk and a new one started, so memory stays bounded and a killed process
// keeps all but the last chunk. The analysis (src/) finds the stretches in the samples.
import { Session } from 'node:inspector';
import type { ProfileChunk, ProfileNode } from '../contract/index.js';

interface RawProfile {
  startTime: number;
  endTime: number;
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
    children?: number[];
    positionTicks?: { line: number; ticks: number }[];
  }[];
  samples?: number[];
  timeDeltas?: number[];
}

export class SamplingProfiler {
  private readonly session = new Session();
  private running = false;

  constructor(intervalUs: number) {
    this.session.connect();
    this.post('Profiler.enable');
    this.post('Profiler.setSamplingInterval', { interval: intervalUs });
  }

  start(): void {
    this.post('Profiler.start');
    this.running = true;
  }

  /** Stops, returns the chunk, and starts again unless `last`. */
  cut(last = false): ProfileChunk | null {
    if (!this.running) return null;
    const result = this.post('Profiler.stop') as { profile: RawProfile };
    this.running = false;
    if (!last) this.start();
    else this.session.disconnect();
    return compact(result.profile);
  }

  private post(method: string, params?: object): unknown {
    // The in-process session answers synchronously.
    let error: Error | null = null;
    let result: unknown;
    this.session.post(method, params ?? {}, (err, res) => {
      error = err;
      result = res;
    });
    if (error) throw error;
    return result;
  }
}

function compact(profile: RawProfile): ProfileChunk {
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const nodes: ProfileNode[] = profile.nodes.map((node) => {
    const out: ProfileNode = {
      id: node.id,
      f: node.callFrame.functionName,
      u: node.callFrame.url,
      l: node.callFrame.lineNumber,
      c: node.callFrame.columnNumber,
      p: parentOf.get(node.id) ?? 0,
    };
    if (node.positionTicks?.length) out.t = node.positionTicks.flatMap((tick) => [tick.line, tick.ticks]);
    return out;
  });
  return { startTime: profile.startTime, endTime: profile.endTime, nodes, samples: profile.samples ?? [], timeDeltas: profile.timeDeltas ?? [] };
}
