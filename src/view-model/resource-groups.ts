// Resources (timers, sockets, ...) grouped per task and type: one lane per group when shown.
// Resources created outside any task form groups of their own after the tasks' (task -1).
import type { Resource } from '../model/types.js';
import type { StringTable } from './string-table.js';

export interface ResourceGroups {
  taskGroupOff: Int32Array;
  groupTask: Int32Array;
  groupType: Int32Array;
  groupResOff: Int32Array;
  resId: Int32Array;
  resCreated: Float64Array;
  resEnd: Float64Array;
  resCbOff: Int32Array;
  cbTime: Float64Array;
}

export function groupResources(
  resources: readonly Resource[],
  taskCount: number,
  displayIndexOfTaskId: (id: number | null) => number,
  strings: StringTable,
): ResourceGroups {
  const r = resources.length;
  const task = new Int32Array(r);
  const type = new Int32Array(r);
  for (let i = 0; i < r; i++) {
    const d = displayIndexOfTaskId(resources[i]!.taskId);
    task[i] = d < 0 ? taskCount : d; // orphans sort last
    type[i] = strings.intern(resources[i]!.type);
  }
  const order = Array.from({ length: r }, (_, i) => i);
  order.sort((a, b) => task[a]! - task[b]! || type[a]! - type[b]! || resources[a]!.createdMs - resources[b]!.createdMs || a - b);

  const groupTask: number[] = [];
  const groupType: number[] = [];
  const groupResOff: number[] = [];
  const resId = new Int32Array(r);
  const resCreated = new Float64Array(r);
  const resEnd = new Float64Array(r);
  const resCbOff = new Int32Array(r + 1);
  let callbacks = 0;
  for (const i of order) callbacks += resources[i]!.callbacksMs.length;
  const cbTime = new Float64Array(callbacks);
  let cb = 0;
  for (let k = 0; k < r; k++) {
    const i = order[k]!;
    const res = resources[i]!;
    if (k === 0 || task[i] !== task[order[k - 1]!] || type[i] !== type[order[k - 1]!]) {
      groupTask.push(task[i] === taskCount ? -1 : task[i]!);
      groupType.push(type[i]!);
      groupResOff.push(k);
    }
    resId[k] = res.id;
    resCreated[k] = res.createdMs;
    resEnd[k] = res.endMs ?? Number.NaN;
    resCbOff[k] = cb;
    const sorted = res.callbacksMs.length > 1 ? [...res.callbacksMs].sort((a, b) => a - b) : res.callbacksMs;
    for (const t of sorted) cbTime[cb++] = t;
  }
  resCbOff[r] = cb;
  groupResOff.push(r);

  const taskGroupOff = new Int32Array(taskCount + 1);
  let g = 0;
  for (let t = 0; t <= taskCount; t++) {
    while (g < groupTask.length && groupTask[g]! >= 0 && groupTask[g]! < t) g++;
    taskGroupOff[t] = g;
  }
  return {
    taskGroupOff,
    groupTask: Int32Array.from(groupTask),
    groupType: Int32Array.from(groupType),
    groupResOff: Int32Array.from(groupResOff),
    resId,
    resCreated,
    resEnd,
    resCbOff,
    cbTime,
  };
}
