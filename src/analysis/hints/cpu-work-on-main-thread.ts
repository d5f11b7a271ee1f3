// cpu-work-on-main-thread: a blocking stretch on the main thread that was the program's own code
// computing (on the CPU, not waiting in a synchronous system call, not Node setting itself up,
// not a chain of awaits): work that needs no event loop, so it can run in a worker thread while
// the main loop goes on serving timers and I/O. The course's "run it in a thread" lesson.
// Worker threads' own stretches are not reported here: that is where such work belongs.
import { isAwaitChain } from '../await-chain.js';
import { fmt } from './format.js';
import type { Finding, HintDetector } from './types.js';

/** Of a stretch, at least this share on the CPU: computing, not waiting for the system. */
const MIN_CPU_SHARE = 0.5;
/** Where the time went when it was not the program's code: these have an asynchronous form of their own (blocking-advice.ts). */
const HAS_ASYNC_FORM = /Sync$|pbkdf2|scrypt|randomBytes|generateKeyPair|deflate|inflate|gzip|gunzip|brotli/i;

export const cpuWorkOnMainThread: HintDetector = {
  name: 'cpu-work-on-main-thread',
  find(ctx) {
    if (ctx.model.threadId !== 0) return [];
    const groups = new Map<string, { fn: string; file: string; line: number; count: number; total: number; cpu: number; tasks: Set<number> }>();
    for (const b of ctx.blocking) {
      ctx.work.add();
      if (b.nodeSetup || isAwaitChain(b) || b.file === '' || b.cpuMs < MIN_CPU_SHARE * b.durationMs) continue;
      if (HAS_ASYNC_FORM.test(b.inside?.function ?? '') || HAS_ASYNC_FORM.test(b.function)) continue;
      const key = `${b.function}\0${b.file}\0${b.line}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { fn: b.function, file: b.file, line: b.line, count: 0, total: 0, cpu: 0, tasks: new Set() }));
      g.count++;
      g.total += b.durationMs;
      g.cpu += b.cpuMs;
      if (b.taskId !== null) g.tasks.add(b.taskId);
    }
    return [...groups.values()]
      .sort((a, b) => b.total - a.total)
      .map(
        (g): Finding => ({
          file: g.file,
          line: g.line,
          message:
            `CPU work on the main thread: ${g.fn} (${g.file}:${g.line}) computed for ${fmt(g.cpu)} ${g.count === 1 ? 'in one stretch' : `in ${g.count} stretches`} (${fmt(g.total)} of blocking), and nothing else on the main loop could run meanwhile; ` +
            'it is the program\'s own code and waits for nothing, so it can run in a worker thread (worker_threads, or a pool such as piscina) while the main loop awaits its answer and stays free for timers and I/O.',
          taskIds: [...g.tasks],
          ...(g.tasks.size === 1 ? { taskId: [...g.tasks][0]! } : {}),
        }),
      );
  },
};
