// Display order of the tasks: depth-first from the roots, children by start time. In that order a
// task's descendants directly follow it, so a subtree is the range [i, i + size).
import type { TaskColumns } from '../model/types.js';
import type { Arena, ArenaRequest } from './arena.js';

export interface TaskOrder {
  /** order[displayIndex] = task index in the model's columns. */
  order: Int32Array;
  /** displayIndexOf[task index] = display index. */
  displayIndexOf: Int32Array;
  parent: Int32Array;
  depth: Uint16Array;
  size: Int32Array;
  children: Int32Array;
}

export function orderTasksSpace(n: number): ArenaRequest[] {
  return [
    [4, n], // order
    [4, n], // displayIndexOf
    [4, n], // parent
    [2, n], // depth
    [4, n], // size
    [4, n], // children
  ];
}

export function orderTasks(T: TaskColumns, arena: Arena): TaskOrder {
  const n = T.count;
  const order = arena.i32(n);
  const displayIndexOf = arena.i32(n).fill(-1);
  const parent = arena.i32(n);
  const depth = arena.u16(n);
  const size = arena.i32(n).fill(1);
  const children = arena.i32(n);
  const byStart = (a: number, b: number) => T.start[a]! - T.start[b]! || a - b;

  const roots: number[] = [];
  for (let t = 0; t < n; t++) if (T.parent[t]! < 0) roots.push(t);
  if (!isSorted(roots, byStart)) roots.sort(byStart);

  let next = 0;
  // Iterative depth-first walk; the stack holds task indices and their parent's display index.
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
      order[d] = m;
      displayIndexOf[m] = d;
      parent[d] = p;
      depth[d] = p < 0 ? 0 : Math.min(depth[p]! + 1, 65535);
      const lo = T.childOff[m]!;
      const hi = T.childOff[m + 1]!;
      if (hi - lo > kids.length) kids = new Int32Array((hi - lo) * 2);
      let count = 0;
      let sorted = true;
      for (let c = lo; c < hi; c++) {
        const k = T.children[c]!;
        if (displayIndexOf[k] !== -1) continue;
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
  for (let t = 0; t < n; t++) if (displayIndexOf[t] === -1) visit(t);

  for (let d = n - 1; d > 0; d--) if (parent[d]! >= 0) size[parent[d]!] += size[d]!;
  return { order, displayIndexOf, parent, depth, size, children };
}

function isSorted(list: readonly number[], compare: (a: number, b: number) => number): boolean {
  for (let i = 1; i < list.length; i++) if (compare(list[i - 1]!, list[i]!) > 0) return false;
  return true;
}
