// The binary trace format: what instrument/ writes and src/ reads (docs/trace-format.md says it
// for humans). Any change an existing reader could misread bumps TRACE_VERSION.

export const TRACE_MAGIC = 'ASYNCPRF';
/** What writers write. Version 2 frames every record with a sequence number and checksums. */
export const TRACE_VERSION = 2;
/**
 * Additions within version 2 that old readers skip with one warning (unknown record kinds): 1 adds
 * Thread records (worker threads' own records, docs/trace-format.md "Threads"), 2 Process records
 * (Node child processes' own records, "Child processes"), 3 the Window record (a flight recorder's
 * window, "Flight recorder windows"), 4 the message events (EventType.MessageChannel to
 * MessageDelivered: postMessage and IPC between threads and processes, "Messages"), the Routes
 * record and the RequestRoute event (each HTTP request a server answered, named by its route:
 * "HTTP requests"). Written in Meta.
 */
export const TRACE_REVISION = 4;
/** Versions readers read. */
export const READABLE_TRACE_VERSIONS: readonly number[] = [1, 2];
/** Bytes before the first record: 8 magic + u32 version + u32 reserved. */
export const HEADER_BYTES = 16;
/** Version 1: every record starts with u32 kind + u32 payload length (little endian). */
export const V1_RECORD_HEADER_BYTES = 8;

export const RecordKind = {
  /** JSON: run metadata (script, args, clock origins, options). First record. */
  Meta: 1,
  /** Binary: f64 chunk base (ms, performance.now clock), u32 count, then count events of 4 x i32. */
  Events: 2,
  /** JSON: one instrumented module: its file and function table. */
  Module: 3,
  /** JSON: one chunk of the V8 sampling profile. */
  Profile: 4,
  /** JSON: an uncaught exception or unhandled rejection. */
  Error: 5,
  /** JSON: how the process ended (written by the process itself). */
  End: 6,
  /** JSON: written by the CLI when the process died without writing End (SIGKILL, crash). */
  Epilogue: 7,
  /** JSON: performance.mark / performance.measure entries. */
  Marks: 8,
  /** JSON: { atMs }: the first user module started evaluating; the run's time zero. */
  Start: 9,
  /**
   * JSON: { tid, times, runNs, waitNs }: cumulative ns the main thread ran on a CPU and waited
   * runnable for one, sampled by the recorder thread (Linux); times in ms, performance.now clock.
   */
  Sched: 10,
  /**
   * JSON: { keepMs, snapshot, writtenEpochMs }: by the CLI (stream 2, seq 1), first after the file
   * header: the trace is a flight recorder's window (`run --keep`), the most recent stretch of a
   * run whose older records were dropped; `snapshot`: taken while the process was still running.
   */
  Window: 11,
  /**
   * Binary: u32 thread id, then one whole record (24-byte header and payload) that a worker
   * thread wrote into its own part of the trace; the CLI appends them after the process ended.
   */
  Thread: 12,
  /**
   * Binary: u32 process number, then one whole record as a Node child process wrote it into its
   * own part of the trace; the CLI appends them after the process ended.
   */
  Process: 13,
  /**
   * JSON: { firstId, names }: route names of HTTP requests (method and path pattern), route id
   * `firstId + i` is names[i]; written by the process when a route is first named (revision 4).
   */
  Routes: 14,
} as const;

/**
 * Event word 0 holds the type in its low 8 bits and a type-specific value above them.
 * Words 1 and 2 are type-specific; word 3 is microseconds since the chunk base.
 */
export const EventType = {
  /** x = function id; a = task id; b = parent task id (0: none). */
  TaskEnter: 1,
  /** x = line of the await; a = task id. */
  TaskSuspend: 2,
  /** a = task id. */
  TaskResume: 3,
  /** x = outcome (1 fulfilled, 2 rejected); a = task id. */
  TaskExit: 4,
  /** x = resource type; a = resource id; b = task id that created it (0: none). */
  ResourceCreate: 5,
  /** a = resource id: its callback started (a timer fired, an I/O request completed). */
  ResourceCallback: 6,
  /** a = resource id: closed, cleared, or settled for good. */
  ResourceEnd: 7,
  /** a = event-loop lag in microseconds, measured by the drift probe. */
  Lag: 8,
  /** a = event-loop utilization since start, times 1e6. */
  Utilization: 9,
  /** a = number of events dropped so far (trace size limit reached). */
  Dropped: 10,
  /**
   * A task that ended where it started, with no event in between and no clock tick: Enter and
   * Exit in one event (most leaf async calls). x = function id; a = task id; b = parent task id.
   */
  TaskSyncFulfilled: 11,
  TaskSyncRejected: 12,
  /**
   * Revision 4: a channel to another thread or process, announced before its first message.
   * x = channel kind (MessageChannelKind); a = the channel's number in this thread (1, 2, ...);
   * b = the worker thread's threadId (kinds 1, 2) or the child process's pid (kinds 3, 4).
   */
  MessageChannel: 13,
  /** x = channel number; a = the message's number on that channel and way (1, 2, ...); b = current task id (0: none). */
  MessageSend: 14,
  /** A message's listeners are about to run. x = channel number; a = its number; b = current task id (0: none). */
  MessageReceive: 15,
  /** The listeners of that message returned. x = channel number; a = its number. */
  MessageDelivered: 16,
  /**
   * An HTTP request a server of the program answered (its httpServer resource) was named: x = route
   * id (Routes record), a = the request's resource id. Written when its response finished, just
   * before that resource's end (revision 4; older readers ignore event types they do not know).
   */
  RequestRoute: 17,
} as const;

/**
 * The two ends of a channel. Each end counts the messages it sends and the messages it is given
 * (the channel keeps their order), so the n-th sent on one end is the n-th received on the other:
 * nothing is added to the program's messages.
 */
export const MessageChannelKind = {
  /** A Worker object, in the thread that started it: Worker#postMessage, its 'message' events. */
  WorkerPort: 1,
  /** A worker thread's parentPort: parentPort.postMessage, its 'message' events. */
  ParentPort: 2,
  /** A ChildProcess with an IPC channel, in its parent: subprocess.send, its 'message' events (cluster workers too). */
  ChildIpc: 3,
  /** The IPC channel to the parent, in a child process: process.send, process's 'message' events. */
  ParentIpc: 4,
} as const;

/** A task's outcome as TaskExit stores it; OUTCOME_NAMES is indexed by these codes. */
export const Outcome = { Pending: 0, Fulfilled: 1, Rejected: 2 } as const;
export const OUTCOME_NAMES = ['pending', 'fulfilled', 'rejected'] as const;
export type OutcomeName = (typeof OUTCOME_NAMES)[number];

/** Resource types; the index is what the trace stores. */
export const RESOURCE_TYPES = [
  'unknown',
  'setTimeout',
  'setInterval',
  'setImmediate',
  'fs',
  'dns',
  'zlib',
  'crypto',
  'childProcess',
  'tcp',
  'httpClient',
  'httpServer',
  'fetch',
] as const;
export type ResourceTypeName = (typeof RESOURCE_TYPES)[number];
export const ResourceType = Object.fromEntries(RESOURCE_TYPES.map((name, i) => [name, i])) as {
  [K in ResourceTypeName]: number;
};

/** Function kinds in a module's function table. */
export const FUNCTION_KINDS = ['function', 'arrow', 'method', 'generator'] as const;
export type FunctionKind = (typeof FUNCTION_KINDS)[number];
