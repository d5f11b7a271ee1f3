// A worker thread started with an execArgv of the program's own does not inherit the flags that
// load the profiler (process.execArgv is shown without them: exec-argv.ts), so it would run
// unrecorded (test runners and pools pass execArgv: vitest's tinypool, piscina's option). The
// Worker class is wrapped so that such an execArgv gets the profiler's flags at its end; the
// worker's own preload then takes them out of its process.execArgv again, so the worker sees
// exactly the execArgv the program gave it. An execArgv left out (inherited) is not touched.
// Each worker the program starts is also told to messages.ts, for the arrow of its start.
//
// The same wrapper hands each new worker the clock its recorder is to use (shared-clock.ts).
//
// The wrapper is a Proxy of the class: `new`, subclassing (`extends Worker`), instanceof, static
// members and the prototype are the original's; its text is the original's (to-string.ts), and
// its frame is the profiler's, left out of stack traces (stack-trace.ts).
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { primordials } from '../primordials.js';
import { disguiseAs } from './stack-trace.js';

type WorkerClass = new (filename: string | URL, options?: { execArgv?: unknown }) => object;

export function carryFlagsIntoWorkers(
  ownFlags: readonly string[],
  hooks: {
    /** Runs each construction (the recorder hands the new worker its clock: shared-clock.ts). */
    aroundConstruct?: <T>(construct: () => T) => T;
    /** Told of each worker the program starts (messages.ts: the arrow of its start). */
    onStarted?: (worker: object) => void;
  } = {},
): void {
  const aroundConstruct = hooks.aroundConstruct ?? (<T>(construct: () => T) => construct());
  const onStarted = hooks.onStarted ?? (() => {});
  try {
    const workerThreads = createRequire(import.meta.url)('node:worker_threads') as { Worker: WorkerClass };
    const Original = workerThreads.Worker;
    const descriptor = primordials.getOwnPropertyDescriptor(workerThreads, 'Worker');
    if (typeof Original !== 'function' || descriptor === undefined || !('value' in descriptor)) return;
    const Wrapped = new Proxy(Original, {
      construct(target, args, newTarget) {
        const options = args[1] as { execArgv?: unknown } | undefined;
        if (ownFlags.length > 0 && typeof options === 'object' && options !== null && primordials.isArray(options.execArgv)) {
          // A copy: the program's options object and its array stay as it made them.
          args = [args[0], { ...options, execArgv: [...(options.execArgv as unknown[]), ...ownFlags] }, ...args.slice(2)];
        }
        const worker = aroundConstruct(() => primordials.construct(target, args, newTarget) as object);
        try {
          onStarted(worker);
        } catch {
          // The profiler never adds a failure of its own to the program's.
        }
        return worker;
      },
    });
    disguiseAs(Wrapped, Original);
    primordials.defineProperty(workerThreads, 'Worker', { ...descriptor, value: Wrapped });
    // `import { Worker } from 'node:worker_threads'` reads the same binding.
    syncBuiltinESMExports();
  } catch {
    // Workers started with an execArgv of their own then run unrecorded, as they would bare.
  }
}
