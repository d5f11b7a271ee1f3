// timer-left-running: the process went on for more than 20 ms and 5% of the run after the last
// task ended and the last I/O callback, and a setTimeout fired right at the end (the process
// waited for it) or a setInterval was still ticking. savingMs = that tail.
import { lineAt } from '../critical-path.js';
import { isTimer, RESUME_TOLERANCE_MS } from '../waits.js';
import { fmt, round } from './format.js';
import type { Finding, HintDetector } from './types.js';

export const timerLeftRunning: HintDetector = {
  name: 'timer-left-running',
  find(ctx) {
    const { model, work } = ctx;
    const T = model.columns.tasks;
    const R = model.columns.resources;
    const F = model.functions;
    let lastTaskEnd = 0;
    for (let t = 0; t < T.count; t++) if (!Number.isNaN(T.end[t]!) && T.end[t]! > lastTaskEnd) lastTaskEnd = T.end[t]!;
    // The last sign of work: a task ending, or an I/O callback.
    let lastWork = lastTaskEnd;
    for (let r = 0; r < R.count; r++) {
      if (isTimer(model, r)) continue;
      for (let c = R.cbOff[r]!; c < R.cbOff[r + 1]!; c++) if (R.callbacks[c]! > lastWork) lastWork = R.callbacks[c]!;
    }
    work.add(T.count + R.count + R.callbacks.length);
    const tail = model.wallMs - lastWork;
    if (tail < Math.max(20, 0.05 * model.wallMs)) return [];
    const killed = model.signal !== null || !model.complete;
    const candidates: { resource: number; how: string }[] = [];
    for (let r = 0; r < R.count; r++) {
      const type = R.typeName(r);
      if (type !== 'setTimeout' && type !== 'setInterval') continue;
      if (R.created[r]! > lastWork) continue;
      const lo = R.cbOff[r]!;
      const hi = R.cbOff[r + 1]!;
      const lastCallback = hi > lo ? R.callbacks[hi - 1]! : undefined;
      const end = R.end[r]!;
      const stillActive = Number.isNaN(end) || end >= model.wallMs - RESUME_TOLERANCE_MS;
      let firedAfter = false;
      for (let c = lo; c < hi && !firedAfter; c++) firedAfter = R.callbacks[c]! > lastWork;
      if (type === 'setTimeout' && lastCallback !== undefined && lastCallback > lastWork && lastCallback >= model.wallMs - Math.max(RESUME_TOLERANCE_MS * 5, 0.02 * model.wallMs)) {
        // Fired at the very end, long after the work was done: the process waited for it.
        candidates.push({ resource: r, how: `fired ${fmt(lastCallback - lastWork)} after the last task ended, and the process waited for it` });
      } else if (type === 'setInterval' && stillActive && (firedAfter || killed)) {
        candidates.push({ resource: r, how: `was still ticking ${fmt(tail)} after the last task ended${killed ? ` (the process only stopped when ${model.signal ? `killed by ${model.signal}` : 'killed'})` : ''}` });
      }
    }
    return candidates.map(({ resource, how }): Finding => {
      const owner = R.task[resource]!;
      const file = owner >= 0 ? F.file[T.fn[owner]!]! : model.script;
      const line = owner >= 0 ? lineAt(model, owner, R.created[resource]!) : 0;
      const type = R.typeName(resource);
      const clear = type === 'setInterval' ? 'clearInterval' : 'clearTimeout';
      return {
        file,
        line,
        message:
          `timer left running: a ${type} created ${owner >= 0 ? `in ${F.name[T.fn[owner]!]} (${file}:${line})` : 'outside any task'} ${how}; ` +
          `${clear} it (or pass an AbortSignal) once its result no longer matters, or unref() it if it must not keep the process alive.`,
        savingMs: round(tail),
        taskIds: owner >= 0 ? [T.id[owner]!] : [],
        ...(owner >= 0 ? { taskId: T.id[owner]! } : {}),
      };
    });
  },
};
