// floating-promise: a task nobody awaited (no dependency edge) that either rejected when the
// process reported an unhandled rejection, or that its parent's own code started (not a
// callback) and that was still running more than 2 ms after the parent finished. Not reported:
// race losers (they were awaited), tasks started from callbacks, children of async generators,
// and a rejected task that ended before its caller when the process did not report the
// rejection (it may have been awaited after it settled, which leaves no trace).
import { OUTCOME_REJECTED, type TraceModel } from '../../model/types.js';
import { SEGMENT_RUN } from '../../model/types.js';
import { lowerBound, upperBound } from '../search.js';
import { endOrWall, RESUME_TOLERANCE_MS, TICK_MS } from '../waits.js';
import { fmt } from './format.js';
import { locateCall } from './locate-call.js';
import type { Finding, HintDetector } from './types.js';

interface Group {
  parent: number;
  task: number;
  tasks: number[];
  outlivedMs: number;
  after: number;
  callLine: number | undefined;
  unhandled: string | null;
}

export const floatingPromise: HintDetector = {
  name: 'floating-promise',
  find(ctx) {
    const { model, awaited, work, functionKey } = ctx;
    const T = model.columns.tasks;
    const F = model.functions;
    const source = ctx.options.source;
    const nameOf = (t: number) => F.name[T.fn[t]!]!;
    const fileOf = (t: number) => F.file[T.fn[t]!]!;
    const lineOf = (t: number) => F.line[T.fn[t]!]!;
    const isGenerator = (t: number) => F.kind[T.fn[t]!] === 'generator';
    const floating = ctx.floating;
    const groups = new Map<number, Group>();
    const keys = functionKey.length * 2;
    const add = (t: number, parent: number, outlivedMs: number, unhandled: string | null) => {
      if (floating.has(t)) return;
      floating.add(t);
      const created = parent >= 0 ? creationSegmentAt(model, parent, T.start[t]!) : -1;
      const S = model.columns.segments;
      const after = created >= 0 ? S.line[created]! : parent >= 0 ? lineOf(parent) : 0;
      const key = (parent + 1) * keys + functionKey[T.fn[t]!]! * 2 + (unhandled !== null ? 1 : 0);
      let g = groups.get(key);
      if (!g) {
        // The call itself: between the line the parent's run started at and its next await.
        let callLine: number | undefined;
        if (parent >= 0 && created >= 0 && source) {
          const next = created + 1 < T.segOff[parent + 1]! ? created + 1 : -1;
          const to = next >= 0 && S.kind[next] !== SEGMENT_RUN && S.line[next]! >= after ? S.line[next]! : after + 200;
          callLine = locateCall(source(fileOf(parent)), nameOf(t), { awaited: false, from: after, to });
        }
        groups.set(key, (g = { parent, task: t, tasks: [], outlivedMs: 0, after, callLine, unhandled }));
      }
      g.tasks.push(t);
      g.outlivedMs = Math.max(g.outlivedMs, outlivedMs);
    };

    // A rejection nobody handled: the rejected task nobody awaited that ended last before the error.
    const unhandledErrors = model.errors.filter((e) => e.origin === 'unhandledRejection');
    if (unhandledErrors.length > 0) {
      const candidates: number[] = [];
      for (let t = 0; t < T.count; t++) if (T.outcome[t] === OUTCOME_REJECTED && awaited[t] === 0 && !Number.isNaN(T.end[t]!)) candidates.push(t);
      // By end, then in task order: the first of the latest ends wins.
      candidates.sort((a, b) => T.end[a]! - T.end[b]! || a - b);
      const ends = Float64Array.from(candidates, (t) => T.end[t]!);
      work.add(T.count + candidates.length * Math.log2(candidates.length + 2));
      for (const error of unhandledErrors) {
        const limit = error.atMs !== null ? upperBound(ends, error.atMs + RESUME_TOLERANCE_MS) : ends.length;
        if (limit === 0) continue;
        const culprit = candidates[lowerBound(ends, ends[limit - 1]!)]!;
        add(culprit, T.parent[culprit]!, 0, `${error.name}: ${error.message}`);
      }
    }

    // Started by its parent's own code (not from a callback), not awaited, and still running when the parent finished.
    for (let t = 0; t < T.count; t++) {
      work.add();
      const parent = T.parent[t]!;
      if (parent < 0 || awaited[t] === 1 || isGenerator(t)) continue;
      const parentEnd = T.end[parent]!;
      // A generator's end is its consumer's doing, not its own: leave its children out.
      if (Number.isNaN(parentEnd) || isGenerator(parent) || T.start[t]! > parentEnd + TICK_MS) continue;
      const end = endOrWall(model, t);
      if (end - parentEnd <= Math.max(1, RESUME_TOLERANCE_MS)) continue;
      if (creationSegmentAt(model, parent, T.start[t]!) < 0) continue;
      add(t, parent, end - parentEnd, null);
    }

    const findings: Finding[] = [];
    for (const g of groups.values()) {
      const { task, parent } = g;
      const many = g.tasks.length > 1 ? `${g.tasks.length} calls of ` : '';
      const rejected = g.tasks.some((t) => T.outcome[t] === OUTCOME_REJECTED);
      const what = g.unhandled
        ? `its rejection went unhandled (${g.unhandled})`
        : `${g.tasks.length > 1 ? 'they were' : 'it was'} still running ${fmt(g.outlivedMs)} after ${parent >= 0 ? nameOf(parent) : 'its caller'} finished` +
          (g.tasks.some((t) => Number.isNaN(T.end[t]!)) ? ' (or never finished)' : rejected ? ', then rejected with nobody awaiting' : '');
      const at = g.callLine !== undefined && parent >= 0 ? { file: fileOf(parent), line: g.callLine } : { file: fileOf(task), line: lineOf(task) };
      const from = parent >= 0 ? (g.callLine !== undefined ? ` in ${nameOf(parent)}` : ` in ${nameOf(parent)} (${fileOf(parent)}, after line ${g.after})`) : '';
      findings.push({
        file: at.file,
        line: at.line,
        message:
          `floating promise: ${many}${nameOf(task)} (${fileOf(task)}:${lineOf(task)}) called without await${from}, and ${what}; ` +
          `await it (or keep the promise and await it, e.g. with Promise.all, before returning) so its errors and its time are not lost.`,
        taskIds: g.tasks.map((t) => T.id[t]!),
        ...(parent >= 0 ? { taskId: T.id[parent]! } : {}),
      });
    }
    return findings;
  },
};

/** The run segment of task `t` during which something starting at `atMs` was started (by time), or -1. */
export function creationSegmentAt(model: TraceModel, t: number, atMs: number): number {
  const T = model.columns.tasks;
  const S = model.columns.segments;
  const lo = T.segOff[t]!;
  const last = upperBound(S.start, atMs + TICK_MS, lo, T.segOff[t + 1]!) - 1;
  // Segments that touch atMs within a tick: prefer the latest run among them.
  for (let i = last; i >= lo && i >= last - 2; i--) {
    if (S.kind[i] === SEGMENT_RUN && S.end[i]! >= atMs - TICK_MS) return i;
  }
  return -1;
}
