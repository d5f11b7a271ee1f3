// How long this thread waited for the answers of each worker thread and child process it talks
// to (docs/analysis.md, "Waiting for answers"). A message this thread sent to a peer is a question;
// a message it received from that peer answers the oldest question still open (ports and IPC keep
// their order, and a peer that works on one job at a time answers in the order asked); a message
// received with no question open (a worker saying it is ready, progress reports) answers nothing.
// The wait is the time during which at least one question to the peer was open: questions in
// flight together count once. Questions never answered are counted, not timed.
import { MessageChannelKind } from '../../contract/index.js';
import type { TraceModel } from '../model/types.js';
import type { Work } from './work.js';

export interface AnswerWait {
  /** 'thread': a worker thread this thread started (peer: its threadId); 'process': a child process (peer: its pid). */
  peerKind: 'thread' | 'process';
  peer: number;
  questions: number;
  answered: number;
  /** Time with at least one question open, ms. */
  waitMs: number;
  /** The longest single question-to-answer time, ms. */
  longestMs: number;
}

interface PeerState {
  wait: AnswerWait;
  /** Send times of the open questions, oldest first, from `head`. */
  open: number[];
  head: number;
  /** The end of the union of the spans so far. */
  coveredTo: number;
}

export function answerWaits(model: TraceModel, work: Work): AnswerWait[] {
  const M = model.columns.messages;
  const peers = new Map<number, PeerState>();
  const result: AnswerWait[] = [];
  for (let i = 0; i < M.count; i++) {
    work.add();
    const kind = M.kind[i]!;
    // Only channels this thread opened to its own workers and children: their parent's side.
    if (kind !== MessageChannelKind.WorkerPort && kind !== MessageChannelKind.ChildIpc) continue;
    // Number 0 is the peer's start, not a question.
    if (M.seq[i] === 0) continue;
    // Thread ids and pids are separate numberings: one map key for both.
    const key = kind === MessageChannelKind.WorkerPort ? -1 - M.peer[i]! : M.peer[i]!;
    let state = peers.get(key);
    if (state === undefined) {
      const wait: AnswerWait = { peerKind: kind === MessageChannelKind.WorkerPort ? 'thread' : 'process', peer: M.peer[i]!, questions: 0, answered: 0, waitMs: 0, longestMs: 0 };
      state = { wait, open: [], head: 0, coveredTo: Number.NEGATIVE_INFINITY };
      peers.set(key, state);
      result.push(wait);
    }
    const at = M.at[i]!;
    if (M.sent[i] === 1) {
      state.wait.questions++;
      state.open.push(at);
      continue;
    }
    if (state.head === state.open.length) continue;
    const asked = state.open[state.head++]!;
    const end = Math.max(at, asked);
    state.wait.answered++;
    state.wait.longestMs = Math.max(state.wait.longestMs, end - asked);
    // Questions are answered in the order asked, so the spans come sorted by start: the union
    // grows by the part of this one past what is covered already.
    const from = Math.max(asked, state.coveredTo);
    if (end > from) state.wait.waitMs += end - from;
    state.coveredTo = Math.max(state.coveredTo, end);
  }
  // A peer never asked anything (it only reported) has no wait for answers.
  return result.filter((w) => w.questions > 0);
}
