// Resources (timers, sockets, ...) grouped per task and type: one lane per group when shown.
// Resources created outside any task form groups of their own after the tasks' (task -1).
import type { ResourceColumns } from '../model/types.js';
import type { Arena, ArenaRequest } from './arena.js';
import type { StringTable } from './string-table.js';
import type { ViewColumns } from './types.js';

/** The resource columns of the view model, built here. */
export type ResourceGroups = Pick<
  ViewColumns,
  'taskGroupOff' | 'groupTask' | 'groupType' | 'groupResOff' | 'resId' | 'resCreated' | 'resEnd' | 'resCbOff' | 'cbTime'
>;

export function resourceGroupsSpace(taskCount: number, r: number, callbacks: number): ArenaRequest[] {
  return [
    [4, r], // display task of each resource (scratch)
    [4, r], // type string of each resource (scratch)
    [4, r], // resId
    [8, r], // resCreated
    [8, r], // resEnd
    [4, r + 1], // resCbOff
    [8, callbacks], // cbTime
    [4, r], // groupTask
    [4, r], // groupType
    [4, r + 1], // groupResOff
    [4, taskCount + 1], // taskGroupOff
  ];
}

export function groupResources(
  R: ResourceColumns,
  taskCount: number,
  /** Display index of a task index, -1 for none. */
  displayIndexOf: (task: number) => number,
  strings: StringTable,
  arena: Arena,
): ResourceGroups {
  const r = R.count;
  const task = arena.i32(r);
  const type = arena.i32(r);
  let sorted = true;
  for (let i = 0; i < r; i++) {
    const d = R.task[i]! >= 0 ? displayIndexOf(R.task[i]!) : -1;
    task[i] = d < 0 ? taskCount : d; // orphans sort last
    type[i] = strings.intern(R.typeName(i));
  }
  const compare = (a: number, b: number) => task[a]! - task[b]! || type[a]! - type[b]! || R.created[a]! - R.created[b]! || a - b;
  const order = Array.from({ length: r }, (_, i) => i);
  for (let i = 1; i < r && sorted; i++) if (compare(i - 1, i) > 0) sorted = false;
  if (!sorted) order.sort(compare);

  const resId = arena.i32(r);
  const resCreated = arena.f64(r);
  const resEnd = arena.f64(r);
  const resCbOff = arena.i32(r + 1);
  const cbTime = arena.f64(R.callbacks.length);
  const groupTaskAll = arena.i32(r);
  const groupTypeAll = arena.i32(r);
  const groupResOffAll = arena.i32(r + 1);
  let groups = 0;
  let cb = 0;
  for (let k = 0; k < r; k++) {
    const i = order[k]!;
    if (k === 0 || task[i] !== task[order[k - 1]!] || type[i] !== type[order[k - 1]!]) {
      groupTaskAll[groups] = task[i] === taskCount ? -1 : task[i]!;
      groupTypeAll[groups] = type[i]!;
      groupResOffAll[groups] = k;
      groups++;
    }
    resId[k] = R.id[i]!;
    resCreated[k] = R.created[i]!;
    resEnd[k] = R.end[i]!;
    resCbOff[k] = cb;
    const from = cb;
    for (let c = R.cbOff[i]!; c < R.cbOff[i + 1]!; c++) cbTime[cb++] = R.callbacks[c]!;
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
