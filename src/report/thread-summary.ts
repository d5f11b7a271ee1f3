// Each thread of the run in a few figures, for the text report and the report JSON: the main
// thread first, then every worker thread the program started (recorded into the same trace, each
// analysed as a run of its own on the main thread's time axis: trace/load-model.ts).
import { analysisOf } from '../analysis/pipeline.js';
import { answersByPeer, peerKey, type PeerAnswers } from '../analysis/answers-by-peer.js';
import type { LagSummary } from '../analysis/results.js';
import { sourceReader } from '../model/source-reader.js';
import type { TraceModel } from '../model/types.js';

export interface ThreadSummary {
  /** 0: the main thread; otherwise worker_threads' threadId. */
  threadId: number;
  name: string;
  tasks: number;
  /** When the thread's first and last recorded events were, ms from the run's time zero. */
  startMs: number;
  endMs: number;
  lag: LagSummary;
  /** Event-loop utilization of the thread (0-1), or null when it was not measured. */
  elu: number | null;
  blocking: { startMs: number; durationMs: number; function: string; file: string; line: number }[];
  blockingMs: number;
  /** A worker thread: how long the thread that started it waited for its answers (absent: no messages). */
  answers?: AnswerSummary;
}

/**
 * How long a thread waited for a worker's or child's answers (analysis/answer-waits.ts): the time
 * with at least one question open, each message received answering the oldest open question.
 */
export type AnswerSummary = PeerAnswers;

/** A Node child process the run started, in a few figures (its main thread's), and its worker threads. */
export interface ProcessSummary {
  pid: number;
  script: string;
  args: string[];
  exitCode: number | null;
  /** Set when a signal ended it. */
  signal?: string;
  /**
   * A program that is not Node (a shell, git): not profiled, only its span (ms on the run's axis)
   * and how it ended are known; its one thread has no tasks.
   */
  notNode?: { startMs: number; endMs: number };
  threads: ThreadSummary[];
  /** How long the parent's thread that asked waited for this child's answers (absent: no messages). */
  answers?: AnswerSummary;
}

const round3 = (ms: number) => Math.round(ms * 1000) / 1000;

export function processSummaries(main: TraceModel): ProcessSummary[] {
  const answers = answersByPeer(main);
  return main.processes.map((child) => {
    const summary: ProcessSummary = {
      pid: child.pid,
      script: child.script,
      args: child.args,
      // A child that wrote its End without an exit code set ended normally.
      exitCode: child.exitCode ?? (child.complete && child.signal === null ? 0 : null),
      ...(child.signal !== null ? { signal: child.signal } : {}),
      ...(child.notNode ? { notNode: { startMs: round3(child.ownZeroMs), endMs: round3(child.wallMs) } } : {}),
      threads: threadSummaries(child),
    };
    const a = answers.get(peerKey(child.pid, 0));
    if (a !== undefined) summary.answers = a;
    return summary;
  });
}

export function threadName(model: TraceModel): string {
  return model.threadId === 0 ? 'main' : `worker ${model.threadId}`;
}

/** The main thread and its worker threads, in that order. */
export function threadSummaries(main: TraceModel): ThreadSummary[] {
  const answers = answersByPeer(main);
  return [main, ...main.threads].map((model) => {
    const analysis = analysisOf(model, { source: sourceReader(model) });
    const times = model.eventTimes;
    let blockingMs = 0;
    for (const b of analysis.blocking) blockingMs += b.durationMs;
    const summary: ThreadSummary = {
      threadId: model.threadId,
      name: threadName(model),
      tasks: model.columns.tasks.count,
      startMs: times.length > 0 ? times[0]! : 0,
      endMs: times.length > 0 ? times[times.length - 1]! : model.wallMs,
      lag: analysis.lag.summary,
      elu: analysis.elu,
      blocking: analysis.blocking.map((b) => ({ startMs: b.startMs, durationMs: b.durationMs, function: b.function, file: b.file, line: b.line })),
      blockingMs,
    };
    const a = model.threadId === 0 ? undefined : answers.get(peerKey(model.pid, model.threadId));
    if (a !== undefined) summary.answers = a;
    return summary;
  });
}
