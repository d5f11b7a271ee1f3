// Per-handler statistics: the tasks grouped by their function (name, file, line), so that a run of
// 100,000 requests reads as a few rows: how many calls, their durations' percentiles, how much of
// their time they ran versus waited, the await line they waited on most, and the blocking their
// calls caused. O(n log n): one counting pass to group, one sort of the durations, one pass over
// the segments and one over the blocking stretches.
import { SEGMENT_WAIT, type TraceModel } from '../model/types.js';
import { functionKeys } from './function-keys.js';
import { summarizeLag } from './lag.js';
import type { Blocking, DurationFigures } from './results.js';
import type { Work } from './work.js';

/** A function's calls (tasks), ended or not; the percentiles are of its ended calls' durations (start to end). */
export interface HandlerStats extends DurationFigures {
  /** The function: its name, file (relative) and line. */
  name: string;
  file: string;
  line: number;
  /** All its calls' durations together (pending ones up to the end of the run). */
  totalMs: number;
  /** Its calls' time running on the loop and waiting at awaits, in all. */
  runMs: number;
  waitMs: number;
  /** runMs / (runMs + waitMs): 1 = pure CPU, 0 = only waiting (0 when both are 0). */
  runShare: number;
  /** The await it waited at longest, summed over its calls (null: it never waited). */
  topAwait: { line: number; waitMs: number; waits: number } | null;
  /** Blocking stretches on the CPU while one of its calls was running, and their time. */
  blockingCount: number;
  blockingMs: number;
}

const round = (v: number) => Math.round(v * 1000) / 1000;

/** One row per function that has calls, most total time first (ties: most calls, then file:line). */
export function handlerStats(model: TraceModel, blocking: readonly Blocking[], work: Work): HandlerStats[] {
  const T = model.columns.tasks;
  const S = model.columns.segments;
  const F = model.functions;
  const keyOfFn = functionKeys(model);
  work.add(F.name.length);
  let keys = 0;
  for (let f = 0; f < keyOfFn.length; f++) if (keyOfFn[f]! + 1 > keys) keys = keyOfFn[f]! + 1;

  // Group the tasks by key: counts, then offsets, then the task indices in place (a counting sort).
  const taskKey = new Int32Array(T.count);
  const counts = new Int32Array(keys + 1);
  for (let t = 0; t < T.count; t++) {
    const k = keyOfFn[T.fn[t]!] ?? 0;
    taskKey[t] = k;
    counts[k + 1]!++;
  }
  work.add(T.count);
  for (let k = 0; k < keys; k++) counts[k + 1]! += counts[k]!;
  const offsets = counts; // offsets[k] .. offsets[k + 1]: tasks of key k
  const fill = offsets.slice(0, keys);
  const grouped = new Int32Array(T.count);
  for (let t = 0; t < T.count; t++) grouped[fill[taskKey[t]!]!++] = t;
  work.add(T.count);

  // A representative function of each key (the first one the table has), for its name and place.
  const fnOfKey = new Int32Array(keys).fill(-1);
  for (let f = 0; f < keyOfFn.length; f++) if (fnOfKey[keyOfFn[f]!] === -1) fnOfKey[keyOfFn[f]!] = f;

  // The await each key waited at longest: wait time per (key, line), summed over every wait segment.
  const awaitMs = new Map<number, number>();
  const awaitCount = new Map<number, number>();
  const lineSpan = 1 << 24; // lines are below 16M; the pair is one exact number
  for (let t = 0; t < T.count; t++) {
    const base = taskKey[t]! * lineSpan;
    for (let s = T.segOff[t]!; s < T.segOff[t + 1]!; s++) {
      if (S.kind[s] !== SEGMENT_WAIT) continue;
      const pair = base + S.line[s]!;
      awaitMs.set(pair, (awaitMs.get(pair) ?? 0) + (S.end[s]! - S.start[s]!));
      awaitCount.set(pair, (awaitCount.get(pair) ?? 0) + 1);
    }
  }
  work.add(T.count + S.count);
  const topAwait: (HandlerStats['topAwait'])[] = new Array(keys).fill(null);
  for (const [pair, ms] of awaitMs) {
    const k = Math.floor(pair / lineSpan);
    const best = topAwait[k];
    if (!best || ms > best.waitMs) topAwait[k] = { line: pair - k * lineSpan, waitMs: ms, waits: awaitCount.get(pair)! };
  }
  work.add(awaitMs.size);

  // Blocking stretches by the key of the task on the CPU.
  const blockCount = new Int32Array(keys);
  const blockMs = new Float64Array(keys);
  for (const b of blocking) {
    if (b.taskId === null) continue;
    const t = T.indexOfId(b.taskId);
    if (t < 0) continue;
    blockCount[taskKey[t]!]!++;
    blockMs[taskKey[t]!]! += b.durationMs;
  }
  work.add(blocking.length);

  const rows: HandlerStats[] = [];
  const durations: number[] = [];
  for (let k = 0; k < keys; k++) {
    const from = offsets[k]!;
    const to = offsets[k + 1]!;
    if (to === from) continue;
    durations.length = 0;
    let totalMs = 0;
    let runMs = 0;
    let waitMs = 0;
    let pending = 0;
    for (let i = from; i < to; i++) {
      const t = grouped[i]!;
      const end = T.end[t]!;
      runMs += T.runMs[t]!;
      waitMs += T.waitMs[t]!;
      if (Number.isNaN(end)) {
        pending++;
        totalMs += model.wallMs - T.start[t]!;
      } else {
        const d = end - T.start[t]!;
        durations.push(d);
        totalMs += d;
      }
    }
    // The same percentiles as the lag's (one rule for p50/p90/p99 everywhere); 0s when none ended.
    const summary = summarizeLag(durations);
    work.add((to - from) * Math.log2(to - from + 2));
    const fn = fnOfKey[k]!;
    const top = topAwait[k];
    rows.push({
      name: F.name[fn] ?? '<unknown>',
      file: F.file[fn] ?? '',
      line: F.line[fn] ?? 0,
      count: to - from,
      pending,
      p50Ms: summary.p50Ms,
      p90Ms: summary.p90Ms,
      p99Ms: summary.p99Ms,
      maxMs: summary.maxMs,
      meanMs: summary.meanMs,
      totalMs: round(totalMs),
      runMs: round(runMs),
      waitMs: round(waitMs),
      runShare: runMs + waitMs > 0 ? Math.round((runMs / (runMs + waitMs)) * 10000) / 10000 : 0,
      topAwait: top ? { line: top.line, waitMs: round(top.waitMs), waits: top.waits } : null,
      blockingCount: blockCount[k]!,
      blockingMs: round(blockMs[k]!),
    });
  }
  rows.sort((a, b) => b.totalMs - a.totalMs || b.count - a.count || a.file.localeCompare(b.file) || a.line - b.line);
  work.add(rows.length * Math.log2(rows.length + 2));
  return rows;
}
