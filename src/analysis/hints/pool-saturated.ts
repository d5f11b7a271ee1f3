// pool-saturated: while the main thread waited with its event loop idle, every worker thread was
// busy nearly all the time. The work left the main loop, as it should, and now the pool sets the
// pace: the program runs as fast as its workers, and the main thread waits for free ones. The
// course's lesson after "run it in a thread": the pool's size and the jobs' cost are the knobs.
// Counted over the main thread's idle waits while some worker was at work; needs two workers or
// more (one busy worker is not a pool); silent when the main loop was itself busy (the blocking
// hints speak then) or the workers idled through part of the wait.
import type { TraceModel } from '../../model/types.js';
import { busyIntervals, unionOf } from '../busy-intervals.js';
import type { Work } from '../work.js';
import { fmt } from './format.js';
import type { Finding, HintDetector } from './types.js';

/** The main thread's idle waiting with every worker busy: at least this long, and this share of it. */
const MIN_SATURATED_MS = 200;
// Two thirds, not all: the workers finish their last jobs one by one while main waits for the
// last, and that tail is not the pool's size at work.
const MIN_SATURATED_SHARE = 2 / 3;

const enum Edge {
  Live,
  Busy,
  Waiting,
}

export const poolSaturated: HintDetector = {
  name: 'pool-saturated',
  find(ctx) {
    const { model, work } = ctx;
    if (model.threadId !== 0) return [];
    const workers = model.threads.filter((w) => w.eventTimes.length > 0 || w.columns.samples.count > 0);
    if (workers.length < 2) return [];
    const times: number[] = [];
    const kinds: number[] = [];
    const steps: number[] = [];
    const add = (intervals: ArrayLike<number>, kind: Edge) => {
      for (let i = 0; i + 1 < intervals.length; i += 2) {
        times.push(intervals[i]!, intervals[i + 1]!);
        kinds.push(kind, kind);
        steps.push(1, -1);
      }
    };
    for (const worker of workers) {
      const busy = busyIntervals(worker, work);
      const [from, to] = inThePool(worker, busy);
      add(clip(busy, from, to), Edge.Busy);
      add([from, to], Edge.Live);
    }
    add(idleWaiting(model, work), Edge.Waiting);
    const order = Int32Array.from(times, (_, i) => i);
    work.add(order.length * Math.log2(order.length + 2));
    order.sort((a, b) => times[a]! - times[b]!);
    const count = [0, 0, 0];
    let waitedMs = 0;
    let saturatedMs = 0;
    for (let j = 0; j < order.length; j++) {
      const i = order[j]!;
      count[kinds[i]!]! += steps[i]!;
      const next = j + 1 < order.length ? times[order[j + 1]!]! : times[i]!;
      const span = next - times[i]!;
      // Waiting on the pool: some worker at work (not the pool starting up, or done).
      if (span <= 0 || count[Edge.Waiting]! <= 0 || count[Edge.Busy]! <= 0) continue;
      waitedMs += span;
      if (count[Edge.Live]! >= 2 && count[Edge.Busy]! >= count[Edge.Live]!) saturatedMs += span;
    }
    if (saturatedMs < MIN_SATURATED_MS || saturatedMs < MIN_SATURATED_SHARE * waitedMs) return [];
    const place = busiestWorkerFunction(workers, work);
    if (place === null) return [];
    return [
      {
        file: place.file,
        line: place.line,
        message:
          `Worker pool saturated: all ${workers.length} worker threads were busy for ${fmt(saturatedMs)} of the ${fmt(waitedMs)} the main thread waited with its event loop idle (${Math.round((100 * saturatedMs) / waitedMs)}%), most of it in ${place.name} (${place.file}:${place.line}); ` +
          'the pool, not the main loop, sets the pace now: more workers help only while the machine has idle cores (os.availableParallelism()), beyond that make each job cheaper or send less work to the pool.',
        taskIds: [],
      } satisfies Finding,
    ];
  },
};

/**
 * When a worker was in the pool: from its first task to its last (its start-up, loading modules,
 * is not the pool at work), or its first to last busy moment when it ran no recorded task.
 */
function inThePool(worker: TraceModel, busy: Float64Array): [number, number] {
  const T = worker.columns.tasks;
  if (T.count === 0) return [busy[0] ?? 0, busy[busy.length - 1] ?? 0];
  let from = Infinity;
  let to = -Infinity;
  for (let t = 0; t < T.count; t++) {
    from = Math.min(from, T.start[t]!);
    to = Math.max(to, Number.isNaN(T.end[t]!) ? worker.wallMs : T.end[t]!);
  }
  return [from, to];
}

/** Sorted disjoint intervals cut to [from, to]. */
function clip(intervals: Float64Array, from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < intervals.length; i += 2) {
    const start = Math.max(from, intervals[i]!);
    const end = Math.min(to, intervals[i + 1]!);
    if (end > start) out.push(start, end);
  }
  return out;
}

/** When the main thread had tasks in flight but ran nothing: it was waiting. */
function idleWaiting(model: TraceModel, work: Work): Float64Array {
  const T = model.columns.tasks;
  const ends = T.end.map((end) => (Number.isNaN(end) ? model.wallMs : end));
  work.add(T.count);
  const inFlight = unionOf(T.start.subarray(0, T.count), ends.subarray(0, T.count), work);
  const busy = busyIntervals(model, work);
  // inFlight minus busy: both sorted and disjoint, one merge.
  const out: number[] = [];
  let b = 0;
  for (let i = 0; i < inFlight.length; i += 2) {
    let from = inFlight[i]!;
    const to = inFlight[i + 1]!;
    while (b < busy.length && busy[b + 1]! <= from) b += 2;
    let k = b;
    while (k < busy.length && busy[k]! < to) {
      work.add();
      if (busy[k]! > from) out.push(from, busy[k]!);
      from = Math.max(from, busy[k + 1]!);
      k += 2;
    }
    if (from < to) out.push(from, to);
  }
  return Float64Array.from(out);
}

/**
 * The function the workers' tasks spent the most time running in, by name and place. A task's
 * run time includes that of the async functions it called (they run inside it until their first
 * await): those are taken off, so that a message listener awaiting `job()` does not hide job.
 */
function busiestWorkerFunction(workers: readonly TraceModel[], work: Work): { name: string; file: string; line: number } | null {
  const runMs = new Map<string, { name: string; file: string; line: number; ms: number }>();
  for (const worker of workers) {
    const T = worker.columns.tasks;
    const F = worker.functions;
    work.add(T.count + T.children.length);
    for (let t = 0; t < T.count; t++) {
      const fn = T.fn[t]!;
      if (F.file[fn] === '') continue;
      const key = `${F.name[fn]}\0${F.file[fn]}\0${F.line[fn]}`;
      const entry = runMs.get(key) ?? { name: F.name[fn]!, file: F.file[fn]!, line: F.line[fn]!, ms: 0 };
      let own = T.runMs[t]!;
      for (let c = T.childOff[t]!; c < T.childOff[t + 1]!; c++) own -= T.runMs[T.children[c]!]!;
      entry.ms += Math.max(0, own);
      runMs.set(key, entry);
    }
  }
  let best: { name: string; file: string; line: number; ms: number } | null = null;
  for (const entry of runMs.values()) if (best === null || entry.ms > best.ms) best = entry;
  return best;
}
