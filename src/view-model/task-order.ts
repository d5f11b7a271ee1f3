// Display order of the tasks: depth-first from the roots, children by start time. In that order a
// task's descendants directly follow it, so a subtree is the range [i, i + size).
import type { Task } from '../model/types.js';
import type { Arena, ArenaRequest } from './arena.js';

export interface TaskOrder {
  /** order[displayIndex] = index in model.tasks. */
  order: Int32Array;
  /** displayIndexOf[model.tasks index] = display index. */
  displayIndexOf: Int32Array;
  /** indexById[task id] = index in model.tasks, or -1. */
  indexById: Int32Array;
  parent: Int32Array;
  depth: Uint16Array;
  size: Int32Array;
  children: Int32Array;
}

export function maxTaskId(tasks: readonly Task[]): number {
  let max = 0;
  for (const t of tasks) if (t.id > max) max = t.id;
  return max;
}

export function orderTasksSpace(n: number, maxId: number): ArenaRequest[] {
  return [[4, n], [4, n], [4, maxId + 1], [4, n], [2, n], [4, n], [4, n]];
}

export function orderTasks(tasks: readonly Task[], arena: Arena, maxId = maxTaskId(tasks)): TaskOrder {
  const n = tasks.length;
  const order = arena.i32(n);
  const displayIndexOf = arena.i32(n).fill(-1);
  const indexById = arena.i32(maxId + 1).fill(-1);
  const parent = arena.i32(n);
  const depth = arena.u16(n);
  const size = arena.i32(n).fill(1);
  const children = arena.i32(n);
  for (let i = 0; i < n; i++) {
    const id = tasks[i]!.id;
    if (id >= 0 && id <= maxId && indexById[id] === -1) indexById[id] = i;
  }
  const indexOf = (id: number | null): number => (id === null || id < 0 || id > maxId ? -1 : indexById[id]!);
  const byStart = (a: number, b: number) => tasks[a]!.startMs - tasks[b]!.startMs || a - b;

  const roots: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = tasks[i]!;
    const p = indexOf(t.parentId);
    if (p < 0 || p === i) roots.push(i);
  }
  roots.sort(byStart);

  let next = 0;
  // Iterative depth-first walk; the stack holds model indices and their parent's display index.
  const stack: number[] = [];
  const stackParent: number[] = [];
  let kids = new Int32Array(16);
  const visit = (root: number) => {
    stack.push(root);
    stackParent.push(-1);
    while (stack.length > 0) {
      const m = stack.pop()!;
      const p = stackParent.pop()!;
      if (displayIndexOf[m] !== -1) continue; // defensive: a cycle in parent links
      const d = next++;
      const task = tasks[m]!;
      order[d] = m;
      displayIndexOf[m] = d;
      parent[d] = p;
      depth[d] = p < 0 ? 0 : Math.min(depth[p]! + 1, 65535);
      const ids = task.children;
      if (ids.length > kids.length) kids = new Int32Array(ids.length * 2);
      let count = 0;
      let sorted = true;
      for (let c = 0; c < ids.length; c++) {
        const k = indexOf(ids[c]!);
        if (k < 0 || displayIndexOf[k] !== -1 || tasks[k]!.parentId !== task.id) continue;
        if (count > 0 && byStart(kids[count - 1]!, k) > 0) sorted = false;
        kids[count++] = k;
      }
      if (!sorted) kids.subarray(0, count).set(Array.from(kids.subarray(0, count)).sort(byStart));
      children[d] = count;
      for (let j = count - 1; j >= 0; j--) {
        stack.push(kids[j]!);
        stackParent.push(d);
      }
    }
  };
  for (const r of roots) visit(r);
  // Tasks unreachable from any root (broken links) become roots of their own.
  for (let i = 0; i < n; i++) if (displayIndexOf[i] === -1) visit(i);

  for (let d = n - 1; d > 0; d--) if (parent[d]! >= 0) size[parent[d]!] += size[d]!;
  return { order, displayIndexOf, indexById, parent, depth, size, children };
}
