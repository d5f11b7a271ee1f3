// Blocking stretches grouped by where they happened (one hint per function and line, or a finer
// key): how many, how long in all, the longest, and the tasks they held, most blocking first.
import type { Blocking } from '../results.js';
import type { Finding } from './types.js';

export interface StretchGroup {
  /** The group's first stretch: the function, file and line of the group. */
  first: Blocking;
  longest: Blocking;
  count: number;
  totalMs: number;
  cpuMs: number;
  awaitsResumed: number;
  tasks: Set<number>;
}

/** `keyOf` null leaves a stretch out; `counted` is called once per stretch (the detector's work). */
export function groupStretches(stretches: Iterable<Blocking>, keyOf: (b: Blocking) => string | null, counted: () => void): StretchGroup[] {
  const groups = new Map<string, StretchGroup>();
  for (const b of stretches) {
    counted();
    const key = keyOf(b);
    if (key === null) continue;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { first: b, longest: b, count: 0, totalMs: 0, cpuMs: 0, awaitsResumed: 0, tasks: new Set() }));
    g.count++;
    g.totalMs += b.durationMs;
    g.cpuMs += b.cpuMs;
    g.awaitsResumed += b.awaitsResumed;
    if (b.durationMs > g.longest.durationMs) g.longest = b;
    if (b.taskId !== null) g.tasks.add(b.taskId);
  }
  return [...groups.values()].sort((a, b) => b.totalMs - a.totalMs);
}

/** A finding's tasks: all of them, and the one when there is only one. */
export function groupTasks(g: StretchGroup): Pick<Finding, 'taskIds' | 'taskId'> {
  const taskIds = [...g.tasks];
  return taskIds.length === 1 ? { taskIds, taskId: taskIds[0]! } : { taskIds };
}
