// Display order of the tasks: depth-first from the roots, children by start time. In that order a
// task's descendants directly follow it, so a subtree is the range [i, i + size).
import type { Task } from '../model/types.js';

export interface TaskOrder {
  /** order[displayIndex] = index in model.tasks. */
  order: Int32Array;
  /** displayIndexOf[model.tasks index] = display index. */
  displayIndexOf: Int32Array;
  parent: Int32Array;
  depth: Uint16Array;
  size: Int32Array;
  children: Int32Array;
}

const byStart = (tasks: readonly Task[]) => (a: number, b: number) => tasks[a]!.startMs - tasks[b]!.startMs || a - b;

export function orderTasks(tasks: readonly Task[]): TaskOrder {
  const n = tasks.length;
  const indexById = new Map<number, number>();
  for (let i = 0; i < n; i++) indexById.set(tasks[i]!.id, i);

  const roots: number[] = [];
  for (let i = 0; i < n; i++) {
    const parentId = tasks[i]!.parentId;
    if (parentId === null || !indexById.has(parentId) || parentId === tasks[i]!.id) roots.push(i);
  }
  roots.sort(byStart(tasks));

  const order = new Int32Array(n);
  const displayIndexOf = new Int32Array(n).fill(-1);
  const parent = new Int32Array(n);
  const depth = new Uint16Array(n);
  const children = new Int32Array(n);
  let next = 0;
  // Iterative depth-first walk; the stack holds model indices with their parent's display index.
  const stack: number[] = [];
  const stackParent: number[] = [];
  const visit = (root: number) => {
    stack.push(root);
    stackParent.push(-1);
    while (stack.length > 0) {
      const m = stack.pop()!;
      const p = stackParent.pop()!;
      if (displayIndexOf[m] !== -1) continue; // defensive: a cycle in parent links
      const d = next++;
      order[d] = m;
      displayIndexOf[m] = d;
      parent[d] = p;
      depth[d] = p < 0 ? 0 : Math.min(depth[p]! + 1, 65535);
      const kids: number[] = [];
      for (const id of tasks[m]!.children) {
        const k = indexById.get(id);
        if (k !== undefined && displayIndexOf[k] === -1 && tasks[k]!.parentId === tasks[m]!.id) kids.push(k);
      }
      children[d] = kids.length;
      if (kids.length > 1) kids.sort(byStart(tasks));
      for (let j = kids.length - 1; j >= 0; j--) {
        stack.push(kids[j]!);
        stackParent.push(d);
      }
    }
  };
  for (const r of roots) visit(r);
  // Tasks unreachable from any root (broken links) become roots of their own.
  for (let i = 0; i < n; i++) if (displayIndexOf[i] === -1) visit(i);

  const size = new Int32Array(n).fill(1);
  for (let d = n - 1; d > 0; d--) if (parent[d]! >= 0) size[parent[d]!] += size[d]!;
  return { order, displayIndexOf, parent, depth, size, children };
}
