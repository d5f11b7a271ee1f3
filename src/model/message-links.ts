// Joins each message sent to the one received at the other end, across every thread and process
// of the run (the two ends count the messages of a channel and way alike: docs/trace-format.md,
// "Messages"). A channel is named by its worker thread (the process's pid and the threadId, the
// same on both ends) or its child process (the child's pid); the way, by which end sent.
import { MessageChannelKind } from '../../contract/index.js';
import type { TraceModel } from './types.js';

export interface MessageEnd {
  model: TraceModel;
  /** Index in the model's message columns. */
  message: number;
}

export interface MessageLink {
  /** The start of a worker or child (message number 0: from the task that started it), not a message of the program's. */
  start: boolean;
  from: MessageEnd;
  /** null: nobody received it (the receiver ended first, or was not recorded). */
  to: MessageEnd | null;
}

/** Every thread and process of the run: the main thread first, then its workers, then each child's, depth first. */
export function runModels(main: TraceModel): TraceModel[] {
  const out: TraceModel[] = [];
  const visit = (m: TraceModel) => {
    out.push(m);
    for (const t of m.threads) visit(t);
    for (const p of m.processes) visit(p);
  };
  visit(main);
  return out;
}

function keyOf(model: TraceModel, i: number): string | null {
  const M = model.columns.messages;
  const kind = M.kind[i]!;
  const sent = M.sent[i] === 1;
  // Down: from the parent's side to the worker or child; up: back.
  switch (kind) {
    case MessageChannelKind.WorkerPort:
      return `t ${model.pid} ${M.peer[i]} ${sent ? 'down' : 'up'} ${M.seq[i]}`;
    case MessageChannelKind.ParentPort:
      return `t ${model.pid} ${M.peer[i]} ${sent ? 'up' : 'down'} ${M.seq[i]}`;
    case MessageChannelKind.ChildIpc:
      return `p ${M.peer[i]} ${sent ? 'down' : 'up'} ${M.seq[i]}`;
    case MessageChannelKind.ParentIpc:
      return `p ${M.peer[i]} ${sent ? 'up' : 'down'} ${M.seq[i]}`;
    default:
      return null;
  }
}

/** One link per message sent, in the order of the models, then of their events. */
export function messageLinks(main: TraceModel): MessageLink[] {
  const models = runModels(main);
  const received = new Map<string, MessageEnd>();
  for (const model of models) {
    const M = model.columns.messages;
    for (let i = 0; i < M.count; i++) {
      if (M.sent[i] === 1) continue;
      const key = keyOf(model, i);
      if (key !== null) received.set(key, { model, message: i });
    }
  }
  const links: MessageLink[] = [];
  for (const model of models) {
    const M = model.columns.messages;
    for (let i = 0; i < M.count; i++) {
      if (M.sent[i] !== 1) continue;
      const key = keyOf(model, i);
      if (key !== null) links.push({ start: M.seq[i] === 0, from: { model, message: i }, to: received.get(key) ?? null });
    }
  }
  return links;
}
