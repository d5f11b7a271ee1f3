// The one way to make a Meta record: the preload writes it into a trace, profile() builds the
// same thing in memory. The caller passes the clock readings (taken before the script could
// replace performance or Date); the facts of this process are filled in here.
import { LAG_INTERVAL_MS } from './defaults.js';
import { TRACE_REVISION, TRACE_VERSION } from './trace-format.js';
import type { TraceMeta } from './trace-records.js';

export interface MetaInput {
  script: string;
  args: string[];
  cwd: string;
  startEpochMs: number;
  /** performance.now() when recording began. */
  originMs: number;
  /** Add to a performance.now() value to get V8's profiler clock (ms). */
  hrOriginMs: number;
  blockingThresholdMs: number;
  samplingIntervalUs: number;
  clockTickUs: number;
  /** Frames from files under this directory are the profiler's own ('' when there is none). */
  profilerDir: string;
  /** A worker thread's own Meta (its part of the trace): its threadId. */
  threadId?: number;
  /** A child process that is not Node, whose part its parent wrote: its span and exit only. */
  notNode?: true;
}

export function buildMeta(input: MetaInput, facts: Pick<NodeJS.Process, 'pid' | 'version' | 'platform' | 'arch'> = process): TraceMeta {
  return {
    version: TRACE_VERSION,
    script: input.script,
    args: input.args,
    cwd: input.cwd,
    pid: facts.pid,
    node: facts.version,
    platform: facts.platform,
    arch: facts.arch,
    startEpochMs: input.startEpochMs,
    originMs: input.originMs,
    hrOriginMs: input.hrOriginMs,
    blockingThresholdMs: input.blockingThresholdMs,
    samplingIntervalUs: input.samplingIntervalUs,
    lagIntervalMs: LAG_INTERVAL_MS,
    clockTickUs: input.clockTickUs,
    profilerDir: input.profilerDir,
    revision: TRACE_REVISION,
    ...(input.threadId !== undefined ? { threadId: input.threadId } : {}),
    ...(input.notNode ? { notNode: true as const } : {}),
  };
}
