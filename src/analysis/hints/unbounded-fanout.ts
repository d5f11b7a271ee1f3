// unbounded-fanout: more than `fanoutThreshold` (100) sibling tasks (same parent; top-level tasks
// of one function) in flight at once. A task whose first wait on its critical path only ended
// when a sibling ended (queued behind a pool or a semaphore, even inside `acquire()`) counts
// from then, and when the tasks that got going after the peak each did so as a sibling ended
// (p-limit, a pool), the fan-out was capped and is not reported. Where each task first waited
// comes from the critical-path pass (CriticalPaths.holdKind).
import { concurrencySweep } from '../concurrency.js';
import { lineAt, NO_HOLD, stepKindOf } from '../critical-path.js';
import { upperBound } from '../search.js';
import { causes, RESUME_TOLERANCE_MS, TICK_MS } from '../waits.js';
import { fmt } from './format.js';
import type { Finding, HintContext, HintDetector } from './types.js';

export const unboundedFanout: HintDetector = {
  name: 'unbounded-fanout',
  find(ctx) {
    const { model, work } = ctx;
    const T = model.columns.tasks;
    const F = model.functions;
    const threshold = ctx.options.fanoutThreshold;
    // Siblings in flight at once are some of the run's tasks in flight at once.
    if (ctx.maxConcurrentTasks <= threshold) return [];
    // Siblings: children of one parent; top-level tasks (started outside any task) by function.
    // Groups in the order their first task started; only those over the threshold are looked at.
    const roots = new Map<number, number[]>();
    for (let t = 0; t < T.count; t++) if (T.parent[t]! < 0) {
      const key = ctx.functionKey[T.fn[t]!]!;
      let g = roots.get(key);
      if (!g) roots.set(key, (g = []));
      g.push(t);
    }
    work.add(T.count);
    const groupOf = (t: number): ArrayLike<number> | null => {
      const p = T.parent[t]!;
      if (p >= 0) return T.children[T.childOff[p]!] === t ? T.children.subarray(T.childOff[p]!, T.childOff[p + 1]!) : null;
      const g = roots.get(ctx.functionKey[T.fn[t]!]!)!;
      return g[0] === t ? g : null;
    };
    const findings: Finding[] = [];
    for (let t0 = 0; t0 < T.count; t0++) {
      const group = groupOf(t0);
      if (group === null || group.length <= threshold) continue;
      const tasks = Array.from(group);
      const first = tasks[0]!;
      const parent = T.parent[first]!;
      work.add(tasks.length * Math.log2(tasks.length + 2));
      // A task queued behind its siblings (its first wait ends as a sibling ends, e.g. a semaphore) is not in flight until then.
      const ends = Float64Array.from(tasks.filter((t) => !Number.isNaN(T.end[t]!)), (t) => T.end[t]!).sort();
      const starts = Float64Array.from(tasks, (t) => queuedUntil(ctx, t, ends));
      const curve = concurrencySweep(starts, Float64Array.from(tasks, (t) => (Number.isNaN(T.end[t]!) ? model.wallMs : T.end[t]!)), 0, model.wallMs);
      if (curve.maxTasks <= threshold) continue;
      const peakAt = curve.times[curve.values.indexOf(curve.maxTasks)] ?? T.start[first]!;
      // Capped after all (p-limit, a pool): the tasks that got going after the peak each did so as a sibling ended.
      const later = Array.from(starts).filter((at) => at > peakAt + TICK_MS);
      if (later.length > 0) {
        let paced = 0;
        for (const at of later) {
          const k = upperBound(ends, at + TICK_MS);
          if (k > 0 && causes(ctx.waits, ends[k - 1]!, at)) paced++;
        }
        if (paced >= 0.8 * later.length) continue;
      }
      const names = new Map<string, number>();
      for (const t of tasks) {
        const name = F.name[T.fn[t]!]!;
        names.set(name, (names.get(name) ?? 0) + 1);
      }
      const main = [...names].sort((a, b) => b[1] - a[1])[0]![0];
      const limit = Math.max(10, Math.min(50, Math.round(Math.sqrt(curve.maxTasks))));
      const where = parent >= 0 ? { file: F.file[T.fn[parent]!]!, line: lineAt(model, parent, T.start[first]!) } : { file: F.file[T.fn[first]!]!, line: F.line[T.fn[first]!]! };
      findings.push({
        file: where.file,
        line: where.line,
        message:
          `unbounded fan-out: ${parent >= 0 ? F.name[T.fn[parent]!] : 'the script'} had ${curve.maxTasks} ${main} tasks in flight at once (at ${fmt(peakAt)}; ${tasks.length} started in all, threshold ${threshold}); ` +
          `cap how many run at once (a pool of workers, or p-limit with a limit such as ${limit}) so memory, sockets and the services called are not flooded.`,
        taskIds: tasks.map((t) => T.id[t]!),
        ...(parent >= 0 ? { taskId: T.id[parent]! } : {}),
      });
    }
    return findings;
  },
};

/**
 * When a task really got going: after a first wait (on its critical path) that nothing explains
 * and that ended as a sibling ended (queued behind a pool or a semaphore, possibly inside a child
 * such as `acquire()`), else at its start.
 */
function queuedUntil(ctx: HintContext, t: number, siblingEnds: Float64Array): number {
  const T = ctx.model.columns.tasks;
  const { holdKind, holdStart, holdEnd } = ctx.paths;
  if (holdKind[t] === NO_HOLD) return T.start[t]!;
  const startMs = holdStart[t]!;
  const endMs = holdEnd[t]!;
  if (stepKindOf(holdKind[t]!) !== 'wait' || endMs - startMs <= RESUME_TOLERANCE_MS) return T.start[t]!;
  // The latest sibling end at or before the wait's end.
  const k = upperBound(siblingEnds, endMs + TICK_MS);
  const end = k > 0 ? siblingEnds[k - 1]! : undefined;
  return end !== undefined && end >= startMs && causes(ctx.waits, end, endMs) ? endMs : T.start[t]!;
}
