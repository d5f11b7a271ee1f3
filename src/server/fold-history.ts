// The live page's horizon: a run's recent minutes in full, older time as per-interval aggregates, so
// that what each refresh models, analyses and sends stays bounded however long the script runs.
// Works on the records as read, before the model is built: the events of tasks and resources that
// ended before the horizon are left out (a task or resource still open at the horizon is kept whole,
// with its older events), callbacks and lag samples before it are too (one lag sample per interval
// is kept, the largest, and the one after it, so the lag chart still shows older time), and profile chunks that ended
// before it. What is left out is counted first into the aggregates: tasks started and finished,
// the loop's busy share (run segments, each counted in the interval it started in), the largest
// lag, and blocking (runs of profile samples that were not idle, at least the blocking threshold
// long: the same samples the blocking analysis reads, without its finer cuts). Two passes over the
// events, O(events).
import { EventType, RESOURCE_TYPES } from '../../contract/index.js';
import type { RawTrace } from '../trace/raw-trace.js';
import type { ViewHistory as History, ViewHistoryRow as HistoryRow } from '../view-model/types.js';

export type { History };

export interface FoldOptions {
  /** Keep this much of the run's end in full (ms). */
  horizonMs: number;
  /** At most this many intervals (they grow from 1 s as the run does). */
  maxRows?: number;
  /** Time zero on the trace's clock (performance.now() ms). */
  originMs: number;
}

const DEFAULT_MAX_ROWS = 600;
const MIN_INTERVAL_MS = 1000;
const HTTP_SERVER = RESOURCE_TYPES.indexOf('httpServer');

const isTaskStart = (type: number) => type === EventType.TaskEnter || type === EventType.TaskSyncFulfilled || type === EventType.TaskSyncRejected;
const isTaskEnd = (type: number) => type === EventType.TaskExit || type === EventType.TaskSyncFulfilled || type === EventType.TaskSyncRejected;

/** Folds `raw` in place (its chunks and profiles lose what is before the horizon); null when the run is shorter than the horizon. */
export function foldHistory(raw: RawTrace, options: FoldOptions): History | null {
  let lastMs = Number.NEGATIVE_INFINITY;
  let maxTask = 0;
  let maxResource = 0;
  for (const { base, events } of raw.chunks) {
    for (let i = 0; i < events.length; i += 4) {
      const at = base + (events[i + 3]! >>> 0) / 1000;
      if (at > lastMs) lastMs = at;
      const type = events[i]! & 0xff;
      if (isTaskStart(type) && events[i + 1]! > maxTask) maxTask = events[i + 1]!;
      if (type === EventType.ResourceCreate && events[i + 1]! > maxResource) maxResource = events[i + 1]!;
    }
  }
  const cut = lastMs - options.horizonMs;
  if (!(cut > options.originMs)) return null;
  const untilMs = cut - options.originMs;
  const intervalMs = Math.max(MIN_INTERVAL_MS, Math.ceil(untilMs / (options.maxRows ?? DEFAULT_MAX_ROWS) / MIN_INTERVAL_MS) * MIN_INTERVAL_MS);
  const count = Math.ceil(untilMs / intervalMs);
  const rows: HistoryRow[] = Array.from({ length: count }, (_, k) => ({
    startMs: k * intervalMs,
    tasksStarted: 0,
    tasksFinished: 0,
    busyShare: 0,
    lagMaxMs: 0,
    blockingCount: 0,
    blockingMs: 0,
    requests: 0,
  }));
  const rowOf = (at: number) => Math.min(count - 1, Math.max(0, Math.floor((at - options.originMs) / intervalMs)));
  const busyMs = new Float64Array(count);

  // Pass 1: what ended before the horizon, and the aggregates of what happened before it.
  const taskGone = new Uint8Array(maxTask + 1);
  const resourceGone = new Uint8Array(maxResource + 1);
  const runSince = new Float64Array(maxTask + 1).fill(Number.NaN);
  const lagKeep = new Map<number, { chunk: number; index: number; lag: number }>();
  let foldedTasks = 0;
  raw.chunks.forEach(({ base, events }, c) => {
    for (let i = 0; i < events.length; i += 4) {
      const at = base + (events[i + 3]! >>> 0) / 1000;
      if (!(at < cut)) continue;
      const type = events[i]! & 0xff;
      const a = events[i + 1]!;
      const taskId = a >= 0 && a <= maxTask ? a : -1;
      if (isTaskStart(type)) rows[rowOf(at)]!.tasksStarted++;
      if (isTaskEnd(type)) {
        rows[rowOf(at)]!.tasksFinished++;
        if (taskId >= 0 && taskGone[taskId] === 0) {
          taskGone[taskId] = 1;
          foldedTasks++;
        }
      }
      if (taskId >= 0 && (type === EventType.TaskEnter || type === EventType.TaskResume)) runSince[taskId] = at;
      if (taskId >= 0 && (type === EventType.TaskSuspend || type === EventType.TaskExit) && !Number.isNaN(runSince[taskId]!)) {
        busyMs[rowOf(runSince[taskId]!)]! += at - runSince[taskId]!;
        runSince[taskId] = Number.NaN;
      }
      if (type === EventType.ResourceEnd && a >= 0 && a <= maxResource) resourceGone[a] = 1;
      if (type === EventType.ResourceCreate && events[i]! >>> 8 === HTTP_SERVER) rows[rowOf(at)]!.requests++;
      if (type === EventType.Lag) {
        const k = rowOf(at);
        const lag = a / 1000;
        if (lag > rows[k]!.lagMaxMs) rows[k]!.lagMaxMs = lag;
        const kept = lagKeep.get(k);
        if (!kept || lag > kept.lag) lagKeep.set(k, { chunk: c, index: i, lag });
      }
    }
  });
  for (let k = 0; k < count; k++) rows[k]!.busyShare = Math.round(Math.min(1, busyMs[k]! / intervalMs) * 1000) / 1000;
  const keptLag = new Set<string>([...lagKeep.values()].map((l) => `${l.chunk}:${l.index}`));

  // Pass 2: each chunk without what is folded. The lag sample after an interval's largest is kept
  // too, so that the chart (which holds a sample's value until the next one) drops back after it.
  let afterLargest = -1;
  raw.chunks = raw.chunks.map(({ base, events }, c) => {
    const kept = new Int32Array(events.length);
    let n = 0;
    for (let i = 0; i < events.length; i += 4) {
      const type = events[i]! & 0xff;
      const a = events[i + 1]!;
      const at = base + (events[i + 3]! >>> 0) / 1000;
      let keep = true;
      switch (type) {
        case EventType.TaskEnter:
        case EventType.TaskSyncFulfilled:
        case EventType.TaskSyncRejected:
        case EventType.TaskSuspend:
        case EventType.TaskResume:
        case EventType.TaskExit:
          keep = !(a >= 0 && a <= maxTask && taskGone[a] === 1);
          break;
        case EventType.ResourceCreate:
        case EventType.ResourceEnd:
        case EventType.RequestRoute:
          keep = !(a >= 0 && a <= maxResource && resourceGone[a] === 1);
          break;
        case EventType.ResourceCallback:
          keep = at >= cut && !(a >= 0 && a <= maxResource && resourceGone[a] === 1);
          break;
        case EventType.Lag: {
          const largest = keptLag.has(`${c}:${i}`);
          keep = at >= cut || largest || (afterLargest >= 0 && rowOf(at) === afterLargest);
          afterLargest = largest ? rowOf(at) : -1;
          break;
        }
      }
      if (!keep) continue;
      kept[n] = events[i]!;
      kept[n + 1] = a;
      kept[n + 2] = events[i + 2]!;
      kept[n + 3] = events[i + 3]!;
      n += 4;
    }
    return { base, events: kept.subarray(0, n) };
  });

  foldProfiles(raw, cut, options.originMs, rows, rowOf);
  if (raw.sched) {
    raw.sched = raw.sched.map((s) => {
      const from = s.times.findIndex((t) => t >= cut);
      const at = from < 0 ? s.times.length : from;
      return { ...s, times: s.times.slice(at), runNs: s.runNs.slice(at), waitNs: s.waitNs.slice(at) };
    });
  }
  return { untilMs, intervalMs, rows, foldedTasks };
}

/** Counts the blocking of the profile chunks that ended before the horizon, and leaves them out. */
function foldProfiles(raw: RawTrace, cut: number, originMs: number, rows: HistoryRow[], rowOf: (at: number) => number): void {
  const thresholdMs = raw.meta.blockingThresholdMs;
  const toMs = (us: number) => us / 1000 - raw.meta.hrOriginMs;
  raw.profiles = raw.profiles.filter((chunk) => {
    if (!(toMs(chunk.endTime) < cut)) return true;
    const idle = new Set<number>();
    for (const node of chunk.nodes) if (node.f === '(idle)') idle.add(node.id);
    let us = chunk.startTime;
    let busySince = Number.NaN;
    const close = (at: number) => {
      if (Number.isNaN(busySince)) return;
      // Module loading before time zero is not the script's (the blocking analysis leaves it out too).
      const ms = toMs(at) - Math.max(toMs(busySince), originMs);
      if (ms >= thresholdMs) {
        const row = rows[rowOf(toMs(busySince))]!;
        row.blockingCount++;
        row.blockingMs = Math.round((row.blockingMs + ms) * 1000) / 1000;
      }
      busySince = Number.NaN;
    };
    for (let i = 0; i < chunk.samples.length; i++) {
      us += chunk.timeDeltas[i]!;
      if (idle.has(chunk.samples[i]!)) close(us);
      else if (Number.isNaN(busySince)) busySince = us;
    }
    close(us);
    return false;
  });
}
