// V8's sampling profiler, for attributing blocking stretches to code. The analysis (src/) finds
// the stretches in the samples.
//
// A profiled process cuts the profile into chunks written to the trace every 200 ms, so that a
// killed process keeps all but the last moments and memory stays bounded. A cut stops the
// profile of an in-process inspector session and starts the next one: a fraction of a
// millisecond (ending a short profile), as long as another profile keeps V8's CPU profiler
// running in between; when none does, starting costs 10-40 ms (V8 logs every piece of compiled
// code), which showed as the program's lag. The other profile is a console profile (`keeper`),
// never read, restarted every few seconds to bound its memory. (Cutting with console profiles
// alone would need no keeper, but V8 stops delivering them once the process has been stopped
// with SIGSTOP and continued; the session's own profile carries on.)
//
// SamplingProfiler below is the variant for profile() (src/api), which stops once.
import { Session } from 'node:inspector';
import type { ProfileChunk, ProfileNode } from '../contract/index.js';
export type { ProfileChunk, ProfileNode } from '../contract/index.js';
import { ownCallback } from './own-callbacks.js';
import { primordials } from './primordials.js';

export interface RawProfile {
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

export function compact(profile: RawProfile): ProfileChunk {
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

export interface ProfilerHandle {
  /** At exit: the last chunk. */
  finish(): void;
  /** Stops without writing anything more (the trace cannot take it). */
  stop(): void;
}

const CUT_MS = 200;
const KEEPER_RESTART_MS = 5000;
const KEEPER = 'async-prof keeper';

export function startSamplingProfiler(options: { intervalUs: number; write: (chunk: ProfileChunk) => void; warn: (message: string) => void }): ProfilerHandle {
  // The program may replace console later; these are the built-in ones.
  const consoleProfile = console.profile.bind(console);
  const consoleProfileEnd = console.profileEnd.bind(console);
  const session = new Session();
  const post = (method: string, params: object = {}): unknown => {
    let failure: Error | null = null;
    let result: unknown;
    // The in-process session answers synchronously.
    session.post(method, params, (error, answer) => {
      failure = error;
      result = answer;
    });
    if (failure) throw failure;
    return result;
  };
  try {
    session.connect();
    post('Profiler.enable');
    post('Profiler.setSamplingInterval', { interval: options.intervalUs });
    consoleProfile(KEEPER);
    post('Profiler.start');
  } catch (error) {
    // Another inspector client or a platform without one: tasks and lag still work.
    options.warn(`the sampling profiler could not start (${(error as Error)?.message ?? String(error)}): blocking stretches are not measured`);
    return { finish() {}, stop() {} };
  }
  const cut = (last: boolean) => {
    const { profile } = post('Profiler.stop') as { profile: RawProfile };
    if (!last) post('Profiler.start');
    const chunk = compact(profile);
    if (chunk.samples.length > 0) options.write(chunk);
  };
  let lastKeeperStart = primordials.now();
  let timer = primordials.setTimeout(ownCallback(function periodicCut() {
    try {
      cut(false);
      if (primordials.now() - lastKeeperStart >= KEEPER_RESTART_MS) {
        // Started before the old one ends: the CPU profiler never stops.
        consoleProfileEnd(KEEPER);
        consoleProfile(KEEPER);
        lastKeeperStart = primordials.now();
      }
    } catch {
      // A failed cut loses one chunk; the profile goes on.
    }
    timer = primordials.setTimeout(periodicCut, CUT_MS).unref();
  }), CUT_MS).unref();
  return {
    finish() {
      primordials.clearTimeout(timer);
      try {
        cut(true);
        session.disconnect();
      } catch {
        // The last chunk is lost; everything before it is in the trace.
      }
    },
    stop() {
      primordials.clearTimeout(timer);
      try {
        session.disconnect();
        consoleProfileEnd(KEEPER);
      } catch {
        // Nothing more to stop.
      }
    },
  };
}
