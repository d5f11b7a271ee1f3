// The payload of a Thread record (RecordKind.Thread) and of a Process record (RecordKind.Process):
// a worker thread's or a Node child process's own record, framed as it was in its part of the
// trace, behind the thread's id (the child's number). Worker threads write whole traces of
// their own (instrument/preload.ts, threadPartPath); the CLI folds each part into the trace as
// Thread records once the process has ended (src/trace/fold-thread-parts.ts), so one file holds
// every thread, and readers that predate threads skip them as a kind they do not know.

export const THREAD_RECORD_HEAD_BYTES = 4;

/** The head of a Thread record's payload: the thread id (the inner record follows). */
export function threadRecordHead(threadId: number): Buffer {
  const head = Buffer.alloc(THREAD_RECORD_HEAD_BYTES);
  head.writeUInt32LE(threadId >>> 0, 0);
  return head;
}

/** The thread id and the inner record's bytes (its header and payload) of a Thread record's payload. */
export function readThreadRecord(payload: Buffer): { threadId: number; record: Buffer } | null {
  if (payload.length < THREAD_RECORD_HEAD_BYTES) return null;
  return { threadId: payload.readUInt32LE(0), record: payload.subarray(THREAD_RECORD_HEAD_BYTES) };
}
