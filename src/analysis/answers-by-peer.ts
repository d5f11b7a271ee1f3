// The waits for answers of a whole run, by the worker thread or child process that was asked:
// each thread's answer-waits pass (answer-waits.ts) names its peers by their threadId within the
// thread's process or by their pid; this puts them under one key, so that the report and the
// viewer find a worker's or child's figures the same way.
import type { TraceModel } from '../model/types.js';
import { analysisOf } from './pipeline.js';

/** A worker's or child's answer figures, and which thread of its parent process asked. */
export interface PeerAnswers {
  /** 0 the process's main thread, or a worker's threadId. */
  askedBy: number;
  questions: number;
  answered: number;
  waitMs: number;
  longestMs: number;
}

/** The key of a thread of the run: its process's pid and its threadId (0: the process's main thread). */
export const peerKey = (pid: number, threadId: number): string => `${pid} ${threadId}`;

/** Every asked worker and child of the run (child processes' own included), by peerKey. */
export function answersByPeer(main: TraceModel): Map<string, PeerAnswers> {
  const out = new Map<string, PeerAnswers>();
  const visit = (process: TraceModel) => {
    for (const model of [process, ...process.threads]) {
      for (const a of analysisOf(model).answerWaits) {
        const key = a.peerKind === 'thread' ? peerKey(model.pid, a.peer) : peerKey(a.peer, 0);
        out.set(key, { askedBy: model.threadId, questions: a.questions, answered: a.answered, waitMs: a.waitMs, longestMs: a.longestMs });
      }
    }
    for (const child of process.processes) visit(child);
  };
  visit(main);
  return out;
}
