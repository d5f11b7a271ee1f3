// Settings that the recorder, the profile() API and the CLI must agree on. Each is defined here
// once; the trace's Meta record says which values a given run used.

/** The lag probe's interval: a timer every 10 ms, and how late it ran. */
export const LAG_INTERVAL_MS = 10;
/** Synchronous stretches at least this long are blocking (the browser's "long task"). */
export const DEFAULT_BLOCKING_THRESHOLD_MS = 50;
/** V8's sampling profiler: µs between samples. */
export const DEFAULT_SAMPLING_INTERVAL_US = 1000;
/**
 * In worker threads, at least this many µs: each thread's profiler wakes on its own, and a pool of
 * CPU-bound workers on fewer cores pays for every wake-up in its work (measured on 2 cores, four
 * workers: 1 ms cost the work 7%, 4 ms 3%); 4 ms still puts a dozen samples in a 50 ms stretch.
 */
export const DEFAULT_WORKER_SAMPLING_INTERVAL_US = 4000;
/** The recorder's clock thread ticks this often (µs). */
export const DEFAULT_CLOCK_TICK_US = 200;
/** A trace stops taking events at this size (ASYNC_PROF_MAX_TRACE_BYTES). */
export const DEFAULT_MAX_TRACE_BYTES = 1024 ** 3;
