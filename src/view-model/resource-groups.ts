// Resources (timers, sockets, ...) grouped per task and type: one lane per group when shown.
// Resources created outside any task form groups of their own after the tasks' (task -1).
import type { Resource } from '../model/types.js';
import type { Arena, ArenaRequest } from './arena.js';
import type { StringTable } from './string-table.js';
import type { ViewColumns } from './types.js';

/** The resource columns of the view model, built here. */
export type ResourceGroups = Pick<
  ViewColumns,
  'taskGroupOff' | 'groupTask' | 'groupType' | 'groupResOff' | 'resId' | 'resCreated' | 'resEnd' | 'resCbOff' | 'cbTime'
>;

export function countCallbacks(resources: readonly Resource[]): number {
  let callbacks = 0;
  for (const r of resources) callbacks += r.callbacksMs.length;
  return callbacks;
}

export function resourceGroupsSpace(taskCount: number, r: number, callbacks: number): ArenaRequest[] {
  return [[4, r], [4, r], [4, r], [8, r], [8, r], [4, r + 1], [8, callbacks], [4, r], [4, r], [4, r + 1], [4, taskCount + 1]];
}

export function groupResources(
  resources: readonly Resource[],
  taskCount: number,
  displayIndexOfTaskId: (id: number | null) => number,
  strings: StringTable,
  arena: Arena,
  callbacks = countCallbacks(resources),
): ResourceGroups {
  const r = resources.length;
  const task = arena.i32(r);
  const type = arena.i32(r);
  let sorted = true;
  for (let i = 0; i < r; i++) {
    const d = displayIndexOfTaskId(resources[i]!.taskId);
    task[i] = d < 0 ? taskCount : d; // orphans sort last
    type[i] = strings.intern(resources[i]!.type);
  }
  const compare = (a: number, b: number) =>
    task[a]! - task[b]! || type[a]! - type[b]! || resources[a]!.createdMs - resources[b]!.createdMs || a - b;
  const order = Array.from({ length: r }, (_, i) => i);
  for (let i = 1; i < r && sorted; i++) if (compare(i - 1, i) > 0) sorted = false;
  if (!sorted) order.sort(compare);

  const resId = arena.i32(r);
  const resCreated = arena.f64(r);
  const resEnd = arena.f64(r);
  const resCbOff = arena.i32(r + 1);
  const cbTime = arena.f64(callbacks);
  const groupTaskAll = arena.i32(r);
  const groupTypeAll = arena.i32(r);
  const groupResOffAll = arena.i32(r + 1);
  let groups = 0;
  let cb = 0;
  for (let k = 0; k < r; k++) {
    const i = order[k]!;
    const res = resources[i]!;
    if (k === 0 || task[i] !== task[order[k - 1]!] || type[i] !== type[order[k - 1]!]) {
      groupTaskAll[groups] = task[i] === taskCount ? -1 : task[i]!;
      groupTypeAll[groups] = type[i]!;
      groupResOffAll[groups] = k;
      groups++;
    }
    resId[k] = res.id;
    resCreated[k] = res.createdMs;
    resEnd[k] = res.endMs ?? Number.NaN;
    resCbOff[k] = cb;
    const from = cb;
    for (const t of res.callbacksMs) cbTime[cb++] = t;
    if (cb - from > 1) cbTime.subarray(from, cb).sort();
  }
  resCbOff[r] = cb;
  groupResOffAll[groups] = r;
  const groupTask = groupTaskAll.subarray(0, groups);

  const taskGroupOff = arena.i32(taskCount + 1);
  let g = 0;
  for (let t = 0; t <= taskCount; t++) {
    while (g < groups && groupTask[g]! >= 0 && groupTask[g]! < t) g++;
    taskGroupOff[t] = g;
  }
  return {
    taskGroupOff,
    groupTask,
    groupType: groupTypeAll.subarray(0, groups),
    groupResOff: groupResOffAll.subarray(0, groups + 1),
    resId,
    resCreated,
    resEnd,
    resCbOff,
    cbTime: cbTime.subarray(0, cb),
  };
}
