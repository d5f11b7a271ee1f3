// cpu-work-on-main-thread: a blocking stretch on the main thread that was the program's own code
// computing (on the CPU, not waiting in a synchronous system call, not Node setting itself up,
// not a chain of awaits): work that needs no event loop, so it can run in a worker thread while
// the main loop goes on serving timers and I/O. The course's "run it in a thread" lesson.
// Worker threads' own stretches are not reported here: that is where such work belongs.
import { isAwaitChain } from '../await-chain.js';
import { hasAsyncForm } from '../blocking-advice.js';
import type { Blocking } from '../results.js';
import { fmt } from './format.js';
import { groupStretches, groupTasks } from './stretch-groups.js';
import type { Finding, HintDetector } from './types.js';

/** Of a stretch, at least this share on the CPU: computing, not waiting for the system. */
const MIN_CPU_SHARE = 0.5;

export const cpuWorkOnMainThread: HintDetector = {
  name: 'cpu-work-on-main-thread',
  find(ctx) {
    if (ctx.model.threadId !== 0) return [];
    const computing = (b: Blocking): boolean =>
      !b.nodeSetup &&
      !isAwaitChain(b) &&
      b.file !== '' &&
      b.cpuMs >= MIN_CPU_SHARE * b.durationMs &&
      // A call with an asynchronous form of its own: the blocking hint's advice (use that form) is the fix.
      !hasAsyncForm({ function: b.function, inside: b.inside?.function ?? null });
    const groups = groupStretches(ctx.blocking, (b) => (computing(b) ? `${b.function}\0${b.file}\0${b.line}` : null), () => ctx.work.add());
    return groups.map(
      (g): Finding => ({
        file: g.first.file,
        line: g.first.line,
        message:
          `CPU work on the main thread: ${g.first.function} (${g.first.file}:${g.first.line}) computed for ${fmt(g.cpuMs)} ${g.count === 1 ? 'in one stretch' : `in ${g.count} stretches`} (${fmt(g.totalMs)} of blocking), and nothing else on the main loop could run meanwhile; ` +
          'it is the program\'s own code and waits for nothing, so it can run in a worker thread (worker_threads, or a pool such as piscina) while the main loop awaits its answer and stays free for timers and I/O.',
        ...groupTasks(g),
      }),
    );
  },
};
