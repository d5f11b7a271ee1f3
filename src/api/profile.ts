// profile(fn): profiles a function in this process and returns what `async-prof run --json`
// reports for a script (docs/report-format.md): tasks, lag, blocking with function and line.
// Tasks are named only for code loaded through the transform (the vite plugin, or a process
// started by `async-prof run`); lag and blocking need nothing but this call.
import { Session } from 'node:inspector';
import { readFileSync } from 'node:fs';
import { dirname, basename, resolve, isAbsolute } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { SamplingProfiler } from '../../instrument/profiler.js';
import type { ProfileChunk } from '../../contract/index.js';
import { DEFAULT_BLOCKING_THRESHOLD_MS, DEFAULT_SAMPLING_INTERVAL_US, EventType, LAG_INTERVAL_MS, buildMeta } from '../../contract/index.js';
import { recorder as runtimeRecorder } from '../../instrument/runtime.js';
import { buildModel } from '../model/build-model.js';
import { mapProfileLinesToSource } from '../trace/original-lines.js';
import { toReportJson, type ReportJson } from '../report/report-json.js';
import { rawTrace, type ErrorRecord } from '../trace/read-trace.js';
import { inProcessRecorder } from './in-process.js';
import { inlineSourceMap, parseSourceMap, type LineMapper, type RawSourceMap } from './source-map.js';

export interface ProfileOptions {
  /** Synchronous stretches at least this long are reported as blocking (default 50 ms). */
  blockingThresholdMs?: number;
  /** Interval of V8's sampling profiler in microseconds (default 1000; 0: off, no blocking stretches). */
  samplingIntervalUs?: number;
  /** Shown as the report's "script" (default "profile()"). */
  name?: string;
  /** Map lines through source maps of reprinted code (vitest, tsx); default true. */
  sourceMaps?: boolean;
}

/** The report JSON of the profiled function, plus what it returned. */
export type ProfileResult<T = unknown> = ReportJson & { value: T };

/** Thrown by profile() when fn throws or rejects: the original error, with the profile attached. */
export interface ProfiledError {
  asyncProfResult?: ProfileResult<undefined>;
}

function ownFile(): string {
  // esbuild's CommonJS build has __filename and no import.meta.url.
  if (typeof __filename === 'string' && __filename !== '') return __filename;
  return fileURLToPath(import.meta.url);
}

/** Directories of this package's code that runs during fn (the hot path, the lag probe, us). */
function ownDirs(): string[] {
  const here = dirname(ownFile());
  const dirs = [here];
  if (basename(here) === 'api') dirs.push(resolve(here, '..', '..', 'instrument'));
  return dirs.map((d) => d.replace(/\/?$/, '/'));
}

function pathOf(url: string): string {
  if (!url.startsWith('file://')) return url;
  try {
    return fileURLToPath(url);
  } catch {
    return url;
  }
}

let active = false;

/**
 * Profiles `fn` in this process: event-loop lag, blocking stretches attributed to function and
 * line by V8's sampling profiler, and tasks for instrumented code. Profiles cannot overlap.
 * If fn throws, the error is rethrown with the result attached as `error.asyncProfResult`.
 */
export async function profile<T>(fn: () => T | PromiseLike<T>, options: ProfileOptions = {}): Promise<ProfileResult<Awaited<T>>> {
  if (typeof fn !== 'function') throw new TypeError('profile(fn): fn must be a function');
  if (active) throw new Error('profile() is already running in this process: profiles cannot overlap (run them one after another)');
  active = true;
  try {
    return await record(fn, options);
  } finally {
    active = false;
  }
}

async function record<T>(fn: () => T | PromiseLike<T>, options: ProfileOptions): Promise<ProfileResult<Awaited<T>>> {
  const blockingThresholdMs = options.blockingThresholdMs ?? DEFAULT_BLOCKING_THRESHOLD_MS;
  const samplingIntervalUs = options.samplingIntervalUs ?? DEFAULT_SAMPLING_INTERVAL_US;
  const rec = inProcessRecorder();
  const errors: ErrorRecord[] = [];
  const warnings: string[] = [];
  if (!rec.ownsRuntime) warnings.push('another async-prof recorder owns this process (async-prof run?): tasks are not recorded by profile()');

  // Start clean: events from before this call are dropped (chunks is still null).
  rec.startClock();
  rec.flush();
  rec.chunks = [];
  let profiler: SamplingProfiler | null = null;
  try {
    if (samplingIntervalUs > 0) {
      profiler = new SamplingProfiler(samplingIntervalUs);
      profiler.start();
    }
  } catch (error) {
    errors.push({ origin: 'profiler', message: String((error as Error)?.message ?? error) });
    warnings.push('the sampling profiler could not start (another inspector client?): no blocking attribution');
  }
  const originMs = performance.now();
  // After time zero is read: events of fn are never stamped before it by a clock word left behind.
  rec.startClock();
  const hrOriginMs = Number(process.hrtime.bigint()) / 1e6 - performance.now();
  const startEpochMs = Date.now();
  const eluStart = performance.eventLoopUtilization();
  const stopLag = rec.startLag(LAG_INTERVAL_MS);

  let value: Awaited<T> | undefined;
  let failure: unknown;
  let failed = false;
  try {
    value = await fn();
  } catch (error) {
    failed = true;
    failure = error;
    const e = error as Partial<Error> | undefined;
    errors.push({ origin: 'profile', atMs: performance.now(), name: e?.name ?? typeof error, message: e?.message ?? String(error), stack: e?.stack ?? null });
  }

  const endMs = performance.now();
  stopLag();
  const elu = performance.eventLoopUtilization(eluStart).utilization;
  runtimeRecorder.sample(EventType.Utilization, Math.round(elu * 1e6));
  rec.flush();
  const chunks = rec.chunks ?? [];
  rec.chunks = null;
  let chunk: ProfileChunk | null = null;
  try {
    chunk = profiler?.cut(true) ?? null;
  } catch (error) {
    warnings.push(`the sampling profiler failed: ${String((error as Error)?.message ?? error)}`);
  }
  // Profiler.start() takes tens of ms (V8 logs the code that exists): samples from then are ours.
  const trimmed = chunk ? trimProfile(chunk, (originMs + hrOriginMs) * 1000, (endMs + hrOriginMs) * 1000) : null;
  const profiles = trimmed && trimmed.samples.length > 0 ? [prepareProfile(trimmed, options.sourceMaps !== false)] : [];

  const meta = buildMeta({
    script: options.name ?? 'profile()',
    args: [],
    cwd: process.cwd(),
    startEpochMs,
    originMs,
    hrOriginMs,
    blockingThresholdMs,
    samplingIntervalUs,
    clockTickUs: 0,
    // Our own frames are hidden from the profile instead (see prepareProfile).
    profilerDir: '',
  });
  const raw = rawTrace(meta, {
    modules: [...rec.modules],
    chunks,
    profiles,
    errors,
    end: { exitCode: failed ? 1 : 0, signal: null, endMs, elu, dropped: 0 },
    scriptStartMs: originMs,
    warnings,
  });
  mapProfileLinesToSource(raw);
  const report = toReportJson(buildModel(raw));
  if (failed) {
    if (failure !== null && typeof failure === 'object') {
      try {
        (failure as ProfiledError).asyncProfResult = { ...report, value: undefined };
      } catch {
        // A frozen error keeps its shape.
      }
    }
    throw failure;
  }
  return { ...report, value: value as Awaited<T> };
}

/** Keeps the samples taken from `fromUs` to `toUs` (V8's clock, µs): fn's time, not ours. */
export function trimProfile(chunk: ProfileChunk, fromUs: number, toUs = Number.POSITIVE_INFINITY): ProfileChunk {
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  let t = chunk.startTime;
  let last = Math.max(chunk.startTime, fromUs);
  for (let i = 0; i < chunk.samples.length; i++) {
    t += chunk.timeDeltas[i]!;
    if (t < fromUs) continue;
    if (t > toUs) break;
    samples.push(chunk.samples[i]!);
    timeDeltas.push(t - last);
    last = t;
  }
  const startTime = Math.max(chunk.startTime, fromUs);
  return { ...chunk, startTime, endTime: Math.max(startTime, Math.min(chunk.endTime, toUs)), samples, timeDeltas };
}

/**
 * Frames of this package become anonymous native frames: they are neither the user's code nor
 * idle time (profile() itself is on the stack under the first part of fn). Lines of reprinted
 * code are mapped back through its source map.
 */
function prepareProfile(chunk: ProfileChunk, useMaps: boolean): ProfileChunk {
  const own = ownDirs();
  const mappers = useMaps ? sourceMappers(new Set(chunk.nodes.map((n) => n.u).filter((u) => u !== '' && !u.startsWith('node:')))) : new Map<string, LineMapper>();
  const nodes = chunk.nodes.map((node) => {
    const path = pathOf(node.u);
    if (node.u !== '' && own.some((dir) => path.startsWith(dir))) return { ...node, u: '', t: undefined };
    const mapper = mappers.get(node.u);
    if (!mapper) {
      // Inlined callees report ticks at their own script's lines: drop lines this file lacks.
      const count = node.t ? lineCount(path) : null;
      if (count === null || !node.t) return node;
      const t: number[] = [];
      for (let i = 0; i < node.t.length; i += 2) if (node.t[i]! <= count) t.push(node.t[i]!, node.t[i + 1]!);
      return { ...node, t };
    }
    const mapped = mapper.map(node.l, node.c);
    const out = { ...node };
    if (mapped) {
      out.l = mapped.line;
      if (mapped.source) out.u = mapped.source;
    }
    if (node.t) {
      const ticks = new Map<number, number>();
      for (let i = 0; i < node.t.length; i += 2) {
        // A line without a mapping is not this file's (an inlined callee's): skip it.
        const line = mapper.map(node.t[i]! - 1)?.line;
        if (line === undefined) continue;
        ticks.set(line + 1, (ticks.get(line + 1) ?? 0) + node.t[i + 1]!);
      }
      out.t = [...ticks].flat();
    }
    return out;
  });
  return { ...chunk, nodes };
}

const lineCounts = new Map<string, number | null>();
function lineCount(path: string): number | null {
  if (!lineCounts.has(path)) {
    let count: number | null = null;
    try {
      count = readFileSync(path, 'utf8').split('\n').length;
    } catch {
      // not a file (eval, a virtual module)
    }
    lineCounts.set(path, count);
  }
  return lineCounts.get(path) ?? null;
}

/** Source maps of the scripts in the profile, as V8 knows them (Debugger.scriptParsed). */
function sourceMappers(urls: Set<string>): Map<string, LineMapper> {
  const found = new Map<string, LineMapper>();
  if (urls.size === 0) return found;
  const session = new Session();
  try {
    session.connect();
    const mapUrls = new Map<string, string>();
    session.on('Debugger.scriptParsed', (message) => {
      const { url, sourceMapURL } = message.params;
      if (sourceMapURL && urls.has(url)) mapUrls.set(url, sourceMapURL);
      else if (sourceMapURL && urls.has(pathOf(url))) mapUrls.set(pathOf(url), sourceMapURL);
    });
    // The in-process session answers synchronously, replaying every script parsed so far.
    session.post('Debugger.enable', () => {});
    session.post('Debugger.disable', () => {});
    for (const [url, mapUrl] of mapUrls) {
      const mapper = loadMapper(url, mapUrl);
      if (mapper) found.set(url, withAbsoluteSources(mapper, url));
    }
  } catch {
    // No debugger (another client, a restricted runtime): keep generated lines.
  } finally {
    try {
      session.disconnect();
    } catch {
      // already gone
    }
  }
  return found;
}

function loadMapper(scriptUrl: string, mapUrl: string): LineMapper | null {
  if (mapUrl.startsWith('data:')) return inlineSourceMap(mapUrl);
  try {
    const base = scriptUrl.startsWith('file://') ? scriptUrl : pathToFileURL(scriptUrl).href;
    const file = fileURLToPath(new URL(mapUrl, base));
    return parseSourceMap(JSON.parse(readFileSync(file, 'utf8')) as RawSourceMap);
  } catch {
    return null;
  }
}

/** Sources in a map are relative to the script (or absolute); return them as the script's own form. */
function withAbsoluteSources(mapper: LineMapper, scriptUrl: string): LineMapper {
  const scriptPath = pathOf(scriptUrl);
  return {
    map(line, column) {
      const m = mapper.map(line, column);
      if (!m) return null;
      if (!m.source) return { line: m.line, source: '' };
      let source = m.source;
      if (source.startsWith('file://')) source = pathOf(source);
      else if (!isAbsolute(source)) source = resolve(dirname(scriptPath), source);
      // Same file under another name (a query, a virtual prefix): keep the script's own URL.
      if (source === scriptPath || basename(source) === basename(scriptPath)) return { line: m.line, source: scriptUrl };
      return { line: m.line, source: scriptUrl.startsWith('file://') ? pathToFileURL(source).href : source };
    },
  };
}
