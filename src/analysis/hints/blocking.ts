// blocking: the blocking stretches over the threshold, one hint per function and line. A stretch
// held by a chain of awaits that never waited (await-chain.ts) gets its own message.
import { isAwaitChain } from '../await-chain.js';
import { blockingAdvice } from '../blocking-advice.js';
import type { Blocking } from '../results.js';
import { fmt } from './format.js';
import type { Finding, HintDetector } from './types.js';

/** The advice for a group, from its longest stretch's cause. */
const advice = (b: Blocking, awaitChain: boolean) => blockingAdvice({ function: b.function, inside: b.inside?.function ?? null, awaitChain, nodeSetup: b.nodeSetup });

export const blockingHint: HintDetector = {
  name: 'blocking',
  find(ctx) {
    const threshold = ctx.options.blockingThresholdMs;
    const groups = new Map<string, { fn: string; file: string; line: number; chain: boolean; resumes: number; count: number; total: number; max: number; longest: Blocking; tasks: Set<number> }>();
    for (const b of ctx.blocking) {
      ctx.work.add();
      const chain = isAwaitChain(b);
      const key = `${b.function}\0${b.file}\0${b.line}\0${chain}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { fn: b.function, file: b.file, line: b.line, chain, resumes: 0, count: 0, total: 0, max: 0, longest: b, tasks: new Set() }));
      g.resumes += b.awaitsResumed;
      g.count++;
      g.total += b.durationMs;
      if (b.durationMs > g.max) g.longest = b;
      g.max = Math.max(g.max, b.durationMs);
      if (b.taskId !== null) g.tasks.add(b.taskId);
    }
    return [...groups.values()]
      .sort((a, b) => b.total - a.total)
      .map(
        (g): Finding => ({
          file: g.file,
          line: g.line,
          message: g.chain
            ? `blocking the loop with awaits: ${g.resumes.toLocaleString('en-US')} awaits resumed one after another ${g.count === 1 ? `for ${fmt(g.max)}` : `in ${g.count} stretches, ${fmt(g.total)} in all (longest ${fmt(g.max)})`} without the loop turning (threshold ${threshold} ms), most of the time in ${g.fn} (${g.file}:${g.line}). ` +
              `An await of an async function that never waits for I/O or a timer resumes in the same pass of the microtask queue, so timers and I/O wait for the whole chain; ` +
              `${advice(g.longest, true)}.`
            : `blocking the loop: ${g.fn} (${g.file}:${g.line}) ran ${g.count === 1 ? `for ${fmt(g.max)}` : `${g.count} times for ${fmt(g.total)} in all (longest ${fmt(g.max)})`} without letting anything else run (threshold ${threshold} ms); ` +
              `${advice(g.longest, false)}.`,
          taskIds: [...g.tasks],
          ...(g.tasks.size === 1 ? { taskId: [...g.tasks][0]! } : {}),
        }),
      );
  },
};
