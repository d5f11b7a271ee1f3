// Which tasks are calls of a handler (a row of the per-handler table): those whose function has
// the row's name, file and line. Strings are interned once in the view data, so the match is an
// integer compare per task. Ancestors of a call are marked too: a collapsed lane that hides calls
// still shows that it holds some.
import type { ViewHandler } from '../src/view-model/types.js';
import type { Trace } from './trace.js';

export const HIGHLIGHTED = 1;
export const CONTAINS = 2;

export interface HandlerCalls {
  marks: Uint8Array;
  count: number;
  /** Display index of the first call (in display order), -1 for none. */
  first: number;
}

export function handlerCalls(trace: Trace, row: ViewHandler): HandlerCalls {
  const { taskName, taskFile, taskLine, taskParent } = trace.c;
  const marks = new Uint8Array(trace.n);
  const name = trace.strings.indexOf(row.name);
  const file = trace.strings.indexOf(row.file);
  let count = 0;
  let first = -1;
  if (name < 0 || file < 0) return { marks, count, first };
  for (let i = 0; i < trace.n; i++) {
    if (taskName[i] !== name || taskFile[i] !== file || taskLine[i] !== row.line) continue;
    marks[i] = HIGHLIGHTED;
    count++;
    if (first < 0) first = i;
    // Up to the first ancestor already marked: each lane is marked once, O(n) in all.
    for (let a = taskParent[i]!; a >= 0 && marks[a] === 0; a = taskParent[a]!) marks[a] = CONTAINS;
  }
  return { marks, count, first };
}
