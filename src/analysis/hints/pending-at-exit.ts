// pending-at-exit: tasks that had not settled when the process exited, grouped by function and
// the line they were waiting at (tasks already reported as floating promises are left out).
import { SEGMENT_WAIT } from '../../model/types.js';
import { fmt } from './format.js';
import type { Finding, HintDetector } from './types.js';

export const pendingAtExit: HintDetector = {
  name: 'pending-at-exit',
  find(ctx) {
    const { model, work } = ctx;
    const T = model.columns.tasks;
    const S = model.columns.segments;
    const F = model.functions;
    const groups = new Map<string, { task: number; line: number; tasks: number[] }>();
    for (let t = 0; t < T.count; t++) {
      work.add();
      if (!Number.isNaN(T.end[t]!) || ctx.floating.has(t)) continue;
      const last = T.segOff[t + 1]! - 1;
      const line = last >= T.segOff[t]! && S.kind[last] === SEGMENT_WAIT ? S.line[last]! : F.line[T.fn[t]!]!;
      const key = `${ctx.functionKey[T.fn[t]!]}\0${line}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { task: t, line, tasks: [] }));
      g.tasks.push(t);
    }
    const how = model.signal ? `was killed by ${model.signal}` : !model.complete ? 'was killed' : `exited (code ${model.exitCode ?? '?'})`;
    return [...groups.values()].map((g): Finding => {
      const since = g.tasks.reduce((m, t) => Math.min(m, T.segOff[t + 1]! > T.segOff[t]! ? S.start[T.segOff[t + 1]! - 1]! : T.start[t]!), Number.POSITIVE_INFINITY);
      const name = F.name[T.fn[g.task]!]!;
      const file = F.file[T.fn[g.task]!]!;
      return {
        file,
        line: g.line,
        message:
          `pending at exit: ${g.tasks.length > 1 ? `${g.tasks.length} ${name} tasks were` : `${name} was`} still waiting at ${file}:${g.line} (since ${fmt(since)}) when the process ${how}; ` +
          `make sure what ${g.tasks.length > 1 ? 'they await' : 'it awaits'} settles (resolve or reject it, or cancel it with an AbortSignal) and await ${g.tasks.length > 1 ? 'them' : 'it'} before the script ends.`,
        taskIds: g.tasks.map((t) => T.id[t]!),
      };
    });
  },
};
