// The message events of one thread's trace (revision 4), gathered as the replay meets them: each
// message this thread sent or was given, on which channel (its kind and its peer: the worker's
// threadId or the child's pid), its number on that channel and way, when, and the task involved.
// The task that receives a message is the one current when it arrived; when none was (a listener
// called by the event loop), the first task that started while its listeners ran; failing that,
// the first task resumed right after them, in the same turn of the loop (the microtasks after a
// listener that settled a promise: `await new Promise((r) => worker.once('message', r))`).
import { EventType } from '../../contract/index.js';
import type { MessageColumns } from './types.js';

/** Microtasks run right after the listeners; a clock that ticks coarsely may put them this much later. */
const SAME_TURN_MS = 1;

export class MessageLog {
  count = 0;
  kind = new Uint8Array(16);
  peer = new Int32Array(16);
  sent = new Uint8Array(16);
  seq = new Int32Array(16);
  at = new Float64Array(16);
  order = new Int32Array(16);
  task = new Int32Array(16);
  /** Channel number -> [kind, peer]; channels are numbered 1, 2, ... per thread. */
  private channelKind: number[] = [];
  private channelPeer: number[] = [];
  /** The message received last that has no task yet (-1: none). */
  waiting = -1;
  /** Its listeners have returned: from then on a resumed task takes it, until the turn ends. */
  private delivered = false;
  private deliveredAt = 0;

  /** One message event; `taskOf` maps a task id to its index (-1: unknown). */
  event(type: number, x: number, a: number, b: number, at: number, order: number, taskOf: (id: number) => number): void {
    if (type === EventType.MessageChannel) {
      this.channelKind[a] = x;
      this.channelPeer[a] = b;
      return;
    }
    if (type === EventType.MessageDelivered) {
      this.delivered = true;
      this.deliveredAt = at;
      return;
    }
    const kind = this.channelKind[x];
    if (kind === undefined) return;
    if (this.count === this.kind.length) this.grow();
    const m = this.count++;
    this.kind[m] = kind;
    this.peer[m] = this.channelPeer[x]!;
    this.sent[m] = type === EventType.MessageSend ? 1 : 0;
    this.seq[m] = a;
    this.at[m] = at;
    this.order[m] = order;
    this.task[m] = b > 0 ? taskOf(b) : -1;
    if (type === EventType.MessageReceive) {
      this.waiting = this.task[m]! < 0 ? m : -1;
      this.delivered = false;
    }
  }

  /** A task started: it receives the waiting message (while its listeners run, or right after, in the same turn). */
  taskStarted(task: number, at: number): void {
    if (!this.delivered || at - this.deliveredAt <= SAME_TURN_MS) this.task[this.waiting] = task;
    this.waiting = -1;
  }

  /** A task resumed: right after the listeners returned, it is the one their message woke. */
  taskResumed(task: number, at: number): void {
    if (!this.delivered) return;
    if (at - this.deliveredAt <= SAME_TURN_MS) this.task[this.waiting] = task;
    this.waiting = -1;
  }

  /** Something else the loop called back (a timer, I/O, a lag sample): the turn is over. */
  turnEnded(): void {
    if (this.delivered) this.waiting = -1;
  }

  columns(): MessageColumns {
    const n = this.count;
    return {
      count: n,
      kind: this.kind.slice(0, n),
      peer: this.peer.slice(0, n),
      sent: this.sent.slice(0, n),
      seq: this.seq.slice(0, n),
      at: this.at.slice(0, n),
      order: this.order.slice(0, n),
      task: this.task.slice(0, n),
    };
  }

  private grow(): void {
    const size = this.kind.length * 2;
    const grown = <T extends Uint8Array | Int32Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(size);
      b.set(a);
      return b;
    };
    this.kind = grown(this.kind);
    this.peer = grown(this.peer);
    this.sent = grown(this.sent);
    this.seq = grown(this.seq);
    this.at = grown(this.at);
    this.order = grown(this.order);
    this.task = grown(this.task);
  }
}
