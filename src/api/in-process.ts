// The recorder of profile(): the same runtime, lag probe and sampling profiler that the preload
// wires up in a profiled child process, wired here into the calling process and recording into
// memory. One per process, kept on globalThis, so that the ESM and CJS builds, or two copies of
// the package, share it instead of recording into separate buffers.
import { setTimeout as realSetTimeout, clearTimeout as realClearTimeout } from 'node:timers';
import { startTickerThread, tick, tickFromThisThread, waitForTicker } from '../../instrument/clock.js';
import { startLagProbe } from '../../instrument/lag.js';
import { RUNTIME_GLOBAL } from '../../contract/index.js';
import { connectRuntime, createRecorderClock, flush, runtime } from '../../instrument/runtime.js';
import type { OriginalTimers } from '../../instrument/resources.js';
import type { EventChunk, ModuleRecord } from '../trace/read-trace.js';

export interface InProcessRecorder {
  readonly version: 2;
  /** Every instrumented module loaded in this process so far (function tables). */
  readonly modules: ModuleRecord[];
  /** True when instrumented code reports to this recorder (false under `async-prof run`, whose preload owns it). */
  readonly ownsRuntime: boolean;
  /** Non-null while a profile() records. */
  chunks: EventChunk[] | null;
  /** Makes sure the recorder's clock ticks (a helper thread, started at the first profile()) and reads now. */
  startClock(): void;
  flush(): void;
  startLag(intervalMs: number): () => void;
}

const KEY = Symbol.for('async-prof.in-process-recorder');
const CLOCK_TICK_MS = 0.2;
const TICKER_START_WAIT_MS = 5000;

export function inProcessRecorder(): InProcessRecorder {
  const g = globalThis as Record<PropertyKey, unknown>;
  const existing = g[KEY] as InProcessRecorder | undefined;
  if (existing?.version === 2) return existing;

  const ownsRuntime = g[RUNTIME_GLOBAL] === undefined;
  const clock = createRecorderClock();
  let clockStarted = false;
  const recorder: InProcessRecorder = {
    version: 2,
    modules: [],
    ownsRuntime,
    chunks: null,
    startClock() {
      // Also moves the word to now: the helper thread may have been kept waiting.
      tick(clock);
      if (clockStarted) return;
      clockStarted = true;
      let running = false;
      try {
        startTickerThread(clock, CLOCK_TICK_MS);
        running = waitForTicker(clock, TICKER_START_WAIT_MS);
      } catch {
        running = false;
      }
      if (!running) tickFromThisThread(clock);
    },
    flush,
    startLag: (intervalMs) => startLagProbe({ setTimeout: realSetTimeout, clearTimeout: realClearTimeout } as OriginalTimers, intervalMs),
  };
  // Copies each chunk (the runtime reuses its array). Declared apart from the call so that it
  // fits both forms of RuntimeSink (with and without a caller-supplied first array).
  const sink = {
    initialEvents: new Int32Array(16384 * 4),
    flushEvents(base: number, events: Int32Array, count: number): Int32Array {
      // Outside a profile() the events are dropped; inside, copied.
      recorder.chunks?.push({ base, events: events.slice(0, count * 4) });
      return events;
    },
  };
  connectRuntime({
    clock,
    sink,
    onModule: (table) => void recorder.modules.push({ ...table }),
    onTimeZero: () => {},
  });
  if (ownsRuntime) g[RUNTIME_GLOBAL] = runtime;
  g[KEY] = recorder;
  return recorder;
}
