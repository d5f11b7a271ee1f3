// Per-route statistics of the HTTP requests the program's servers answered: each request is a span
// from when the process read it off its socket (its headers parsed, right before the server emitted
// 'request') to when its response finished, grouped by route (method and the matched pattern, or
// the path with its ids collapsed: instrument/request-routes.ts). Beside the span, the part before
// its handler's task started (routing, and the loop busy with other requests read in the same
// turn) and the handler task's own duration, so that a slow route reads as "its handler is slow"
// or "it waited for the loop". What no process can see is left out: a request that arrived while
// the loop was blocked waited in the kernel's socket buffer until the loop read it (docs/analysis.md).
// O(n log n): one pass over the tasks, a counting sort of the requests by route, one sort of each
// route's durations.
import { RESOURCE_TYPES } from '../../contract/index.js';
import type { TraceModel } from '../model/types.js';
import { cpuTime, type CpuTime } from './cpu-time.js';
import { summarizeLag } from './lag.js';
import { profileFrames } from './profile-frames.js';
import type { DurationFigures } from './results.js';
import type { Work } from './work.js';

/** Requests of a route, read, answered or not; the percentiles are of the finished ones' spans (read to response finished). */
export interface RequestRouteStats extends DurationFigures {
  /** 'GET /users/:id'; '(unnamed)' for requests of a trace that has no route names. */
  route: string;
  /** Read to its handler's task starting (finished requests that had a handler task), ms. */
  beforeHandlerP50Ms: number;
  beforeHandlerP99Ms: number;
  beforeHandlerMaxMs: number;
  beforeHandlerMeanMs: number;
  /**
   * An upper bound of the span from the request's arrival: measured from the last moment the
   * sampling profiler saw the loop idle before the request was read (a request that arrived while
   * the loop was busy waited in the kernel's socket buffer, unseen, for up to that long), plus the
   * main thread's wait for a CPU in a hole in the samples right before that moment (Linux). Up to
   * one sampling interval more than the span when the loop was idle and the thread on a CPU; the
   * span itself where the samples say nothing (the profiler off, the process not sampled just before).
   */
  upperP50Ms: number;
  upperP99Ms: number;
  upperMaxMs: number;
  /** The difference: how long the loop had been busy (or the thread waiting for a CPU) when the request was read (p99 and max over the finished requests), ms. */
  busyBeforeReadP99Ms: number;
  busyBeforeReadMaxMs: number;
  /** The handler task's own duration (start to end) for the same requests, ms. */
  handlerP50Ms: number;
  handlerP99Ms: number;
  /** The function most of its requests' handler tasks ran (null: none had one). */
  handler: { name: string; file: string; line: number } | null;
  /** Finished requests with no handler task seen (a plain callback answered them). */
  withoutHandler: number;
}

const UNNAMED = '(unnamed)';

/** One row per route, most total time first (ties: most requests, then the route's name). */
export function requestStats(model: TraceModel, work: Work): RequestRouteStats[] {
  const R = model.columns.resources;
  const T = model.columns.tasks;
  const F = model.functions;
  const httpServer = RESOURCE_TYPES.indexOf('httpServer');

  // The first handler task of each request (tasks come in the order they started).
  const firstTask = new Int32Array(R.count).fill(-1);
  for (let t = 0; t < T.count; t++) {
    const r = T.request[t]!;
    if (r >= 0 && r < R.count && firstTask[r] === -1) firstTask[r] = t;
  }
  work.add(T.count);

  const runs = busyRuns(model, work);

  // Requests by route name (route ids that name the same text are one row).
  const rowOfName = new Map<string, number>();
  const rowOfRoute = new Int32Array(model.routeNames.length).fill(-1);
  const names: string[] = [];
  const requestRow = new Int32Array(R.count).fill(-1);
  const counts: number[] = [];
  for (let r = 0; r < R.count; r++) {
    if (R.type[r] !== httpServer) continue;
    const id = R.route[r]!;
    let row = id > 0 && id < rowOfRoute.length ? rowOfRoute[id]! : -1;
    if (row < 0) {
      const name = (id > 0 ? model.routeNames[id] : '') || UNNAMED;
      row = rowOfName.get(name) ?? -1;
      if (row < 0) {
        row = names.length;
        names.push(name);
        counts.push(0);
        rowOfName.set(name, row);
      }
      if (id > 0 && id < rowOfRoute.length) rowOfRoute[id] = row;
    }
    requestRow[r] = row;
    counts[row]!++;
  }
  work.add(R.count);
  if (names.length === 0) return [];

  // A counting sort: the requests of each row together.
  const offsets = new Int32Array(names.length + 1);
  for (let k = 0; k < names.length; k++) offsets[k + 1] = offsets[k]! + counts[k]!;
  const fill = offsets.slice(0, names.length);
  const grouped = new Int32Array(offsets[names.length]!);
  for (let r = 0; r < R.count; r++) if (requestRow[r]! >= 0) grouped[fill[requestRow[r]!]!++] = r;
  work.add(R.count);

  const rows: RequestRouteStats[] = [];
  const totals: number[] = [];
  const spans: number[] = [];
  const before: number[] = [];
  const handlerMs: number[] = [];
  const upper: number[] = [];
  const busy: number[] = [];
  const fnCount = new Map<number, number>();
  for (let k = 0; k < names.length; k++) {
    spans.length = 0;
    before.length = 0;
    handlerMs.length = 0;
    upper.length = 0;
    busy.length = 0;
    fnCount.clear();
    let pending = 0;
    let totalMs = 0;
    let withoutHandler = 0;
    for (let i = offsets[k]!; i < offsets[k + 1]!; i++) {
      const r = grouped[i]!;
      const end = R.end[r]!;
      if (Number.isNaN(end)) {
        pending++;
        totalMs += model.wallMs - R.created[r]!;
        continue;
      }
      const read = R.created[r]!;
      const span = end - read;
      spans.push(span);
      totalMs += span;
      const busyMs = runs === null ? 0 : busySince(runs, read);
      busy.push(busyMs);
      upper.push(span + busyMs);
      const t = firstTask[r]!;
      if (t < 0) {
        withoutHandler++;
        continue;
      }
      before.push(Math.max(0, T.start[t]! - R.created[r]!));
      if (!Number.isNaN(T.end[t]!)) handlerMs.push(T.end[t]! - T.start[t]!);
      fnCount.set(T.fn[t]!, (fnCount.get(T.fn[t]!) ?? 0) + 1);
    }
    const n = offsets[k + 1]! - offsets[k]!;
    work.add(5 * n * Math.log2(n + 2) + n * Math.log2((runs?.time.length ?? 0) + model.sched.times.length + 2));
    const span = summarizeLag(spans);
    const bound = summarizeLag(upper);
    const busyBefore = summarizeLag(busy);
    const wait = summarizeLag(before);
    const handler = summarizeLag(handlerMs);
    let fn = -1;
    let most = 0;
    for (const [f, c] of fnCount) if (c > most || (c === most && f < fn)) [fn, most] = [f, c];
    rows.push({
      route: names[k]!,
      count: n,
      pending,
      p50Ms: span.p50Ms,
      p90Ms: span.p90Ms,
      p99Ms: span.p99Ms,
      maxMs: span.maxMs,
      meanMs: span.meanMs,
      beforeHandlerP50Ms: wait.p50Ms,
      beforeHandlerP99Ms: wait.p99Ms,
      beforeHandlerMaxMs: wait.maxMs,
      beforeHandlerMeanMs: wait.meanMs,
      upperP50Ms: bound.p50Ms,
      upperP99Ms: bound.p99Ms,
      upperMaxMs: bound.maxMs,
      busyBeforeReadP99Ms: busyBefore.p99Ms,
      busyBeforeReadMaxMs: busyBefore.maxMs,
      handlerP50Ms: handler.p50Ms,
      handlerP99Ms: handler.p99Ms,
      handler: fn >= 0 ? { name: F.name[fn] ?? '<unknown>', file: F.file[fn] ?? '', line: F.line[fn] ?? 0 } : null,
      withoutHandler,
    });
    totals.push(totalMs);
  }
  const order = rows.map((_, i) => i);
  order.sort((a, b) => totals[b]! - totals[a]! || rows[b]!.count - rows[a]!.count || rows[a]!.route.localeCompare(rows[b]!.route));
  work.add(rows.length * Math.log2(rows.length + 2));
  return order.map((i) => rows[i]!);
}

/**
 * A gap between samples longer than this many intervals is time the process was not sampled (off
 * the CPU, or between two of the profiler's chunks): nothing is known of the loop then.
 */
const SAMPLE_GAP_INTERVALS = 4;

/** The profile's sample times, and for each the time the loop's current busy run began (its own time if idle). */
interface BusyRuns {
  time: Float64Array;
  since: Float64Array;
  /**
   * When the stretch that sample began came right after a gap in the samples (the thread not
   * running: waiting for a CPU on a loaded machine), the time of the sample before the gap; else NaN.
   */
  gapFrom: Float64Array;
  maxGapMs: number;
  /** The main thread's time waiting for a CPU (Linux scheduler samples), or null. */
  cpu: CpuTime | null;
}

/** Null when the profiler was off. */
function busyRuns(model: TraceModel, work: Work): BusyRuns | null {
  const P = model.columns.samples;
  if (model.samplingIntervalUs === 0 || P.count === 0) return null;
  const frames = profileFrames(model);
  const maxGapMs = (SAMPLE_GAP_INTERVALS * model.samplingIntervalUs) / 1000;
  // Chunks may overlap by a sample where the profiler was restarted: in time order first.
  let order: Int32Array | null = null;
  for (let i = 1; i < P.count; i++) {
    if (P.time[i]! < P.time[i - 1]!) {
      order = Int32Array.from({ length: P.count }, (_, k) => k).sort((a, b) => P.time[a]! - P.time[b]! || a - b);
      work.add(P.count * Math.log2(P.count + 2));
      break;
    }
  }
  const time = new Float64Array(P.count);
  const since = new Float64Array(P.count);
  const gapFrom = new Float64Array(P.count);
  for (let k = 0; k < P.count; k++) {
    const i = order === null ? k : order[k]!;
    const node = P.node[i]!;
    time[k] = P.time[i]!;
    const gap = k > 0 && !(time[k]! - time[k - 1]! <= maxGapMs);
    const fresh = node < 0 || frames.isIdle(node) || k === 0 || gap;
    since[k] = fresh ? time[k]! : since[k - 1]!;
    gapFrom[k] = gap ? time[k - 1]! : fresh ? Number.NaN : gapFrom[k - 1]!;
  }
  work.add(2 * P.count);
  return { time, since, gapFrom, maxGapMs, cpu: cpuTime(model.sched) };
}

/**
 * How long a request read at `at` may have waited unseen: the loop busy since its last idle sample,
 * and the thread's wait for a CPU in a hole in the samples just before that (0 when the samples say
 * nothing).
 */
function busySince(runs: BusyRuns, at: number): number {
  let lo = 0;
  let hi = runs.time.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (runs.time[mid]! <= at) lo = mid + 1;
    else hi = mid;
  }
  const last = lo - 1;
  if (last < 0 || !(at - runs.time[last]! <= runs.maxGapMs)) return 0;
  // A stretch that began right after the thread went unsampled: a request may have come during that
  // hole too, while the thread waited for a CPU (the only part of the hole counted).
  const from = runs.gapFrom[last]!;
  const waited = runs.cpu !== null && !Number.isNaN(from) ? runs.cpu.waitingMs(from, runs.since[last]!) : 0;
  return at - runs.since[last]! + waited;
}
