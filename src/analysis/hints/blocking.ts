// blocking: the blocking stretches over the threshold, one hint per function and line. A stretch
// held by a chain of awaits that never waited (await-chain.ts) gets its own message.
import { isAwaitChain } from '../await-chain.js';
import { blockingAdvice } from '../blocking-advice.js';
import type { Blocking } from '../results.js';
import { fmt } from './format.js';
import { groupStretches, groupTasks } from './stretch-groups.js';
import type { Finding, HintDetector } from './types.js';

/** The advice for a group, from its longest stretch's cause. */
const advice = (b: Blocking, awaitChain: boolean) => blockingAdvice({ function: b.function, inside: b.inside?.function ?? null, awaitChain, nodeSetup: b.nodeSetup });

export const blockingHint: HintDetector = {
  name: 'blocking',
  find(ctx) {
    const threshold = ctx.options.blockingThresholdMs;
    const groups = groupStretches(ctx.blocking, (b) => `${b.function}\0${b.file}\0${b.line}\0${isAwaitChain(b)}`, () => ctx.work.add());
    return groups.map((g): Finding => {
      const { first: b, longest, count, totalMs: total } = g;
      const max = longest.durationMs;
      return {
        file: b.file,
        line: b.line,
        message: isAwaitChain(b)
          ? `blocking the loop with awaits: ${g.awaitsResumed.toLocaleString('en-US')} awaits resumed one after another ${count === 1 ? `for ${fmt(max)}` : `in ${count} stretches, ${fmt(total)} in all (longest ${fmt(max)})`} without the loop turning (threshold ${threshold} ms), most of the time in ${b.function} (${b.file}:${b.line}). ` +
            `An await of an async function that never waits for I/O or a timer resumes in the same pass of the microtask queue, so timers and I/O wait for the whole chain; ` +
            `${advice(longest, true)}.`
          : `blocking the loop: ${b.function} (${b.file}:${b.line}) ran ${count === 1 ? `for ${fmt(max)}` : `${count} times for ${fmt(total)} in all (longest ${fmt(max)})`} without letting anything else run (threshold ${threshold} ms); ` +
            `${advice(longest, false)}.`,
        ...groupTasks(g),
      };
    });
  },
};
