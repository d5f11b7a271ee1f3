// The arrows between lane groups: every message joined across threads and processes
// (model/message-links.ts), its two ends as display indices of the merged view (threads.ts puts
// each group's tasks in a range of its own, in the order of `groups`).
import { messageLinks, type MessageEnd } from '../model/message-links.js';
import type { TraceModel } from '../model/types.js';
import type { ViewMessage, ViewThread } from './types.js';

/** More would make the header heavy and the arrows a smear; the first ones in the run are kept. */
export const MAX_VIEW_MESSAGES = 20_000;

const round = (ms: number) => Math.round(ms * 1000) / 1000;

export function viewMessages(main: TraceModel, groups: readonly TraceModel[], threads: readonly ViewThread[], taskId: Int32Array): ViewMessage[] {
  const groupOf = new Map<TraceModel, number>();
  groups.forEach((g, k) => groupOf.set(g, k));
  // Task id -> display index, per group: ids count from 1 in each thread.
  const displayOf: Int32Array[] = threads.map((t) => {
    let maxId = 0;
    for (let d = t.firstTask; d < t.endTask; d++) maxId = Math.max(maxId, taskId[d]!);
    const index = new Int32Array(maxId + 1).fill(-1);
    for (let d = t.firstTask; d < t.endTask; d++) index[taskId[d]!] = d;
    return index;
  });
  const end = (e: MessageEnd | null): [number, number, number] => {
    if (e === null) return [-1, -1, 0];
    const k = groupOf.get(e.model) ?? -1;
    const M = e.model.columns.messages;
    const t = M.task[e.message]!;
    const d = k >= 0 && t >= 0 ? (displayOf[k]![e.model.columns.tasks.id[t]!] ?? -1) : -1;
    return [k, d, M.at[e.message]!];
  };
  const out: ViewMessage[] = [];
  for (const link of messageLinks(main)) {
    const [fromGroup, fromTask, fromMs] = end(link.from);
    if (fromGroup < 0) continue;
    const [toGroup, toTask, toMs] = end(link.to);
    out.push({ ...(link.start ? { start: true as const } : {}), fromGroup, fromTask, fromMs: round(fromMs), toGroup, toTask, toMs: round(toMs) });
  }
  out.sort((a, b) => a.fromMs - b.fromMs);
  return out.length > MAX_VIEW_MESSAGES ? out.slice(0, MAX_VIEW_MESSAGES) : out;
}
