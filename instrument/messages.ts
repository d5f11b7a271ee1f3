// Messages between threads and processes (Worker#postMessage, parentPort.postMessage, a
// ChildProcess's send and process.send, cluster workers' send, which is theirs): each end of a
// channel records what it sends and what it is given, with the message's number on that channel
// and way. A port and an IPC channel deliver in the order things were sent, so the n-th message
// one end sends is the n-th the other end is given, and the reader joins the two by that number
// (docs/trace-format.md, "Messages"). The program's messages are never touched: no id travels
// with them, and nothing of the payload is read but, for IPC, whether it is one of Node's own
// (cluster's `cmd: 'NODE_...'`), which the other end gives to no 'message' listener either.
//
// Methods are wrapped where Node keeps them: Worker.prototype (postMessage, and an emit of its
// own in front of EventEmitter's), the parentPort instance (postMessage, and the dispatch hook
// Node's ports call for every incoming message), a ChildProcess instance's send (Node sets it per
// instance when the channel opens), ChildProcess.prototype.emit, and process.send / process.emit
// in a child process. Each wrapper calls the original with the same arguments and returns what
// it returns; a failure of ours is swallowed.
import { createRequire } from 'node:module';
import { parentPort, threadId } from 'node:worker_threads';
import { EventType, MessageChannelKind } from '../contract/index.js';
import { replaceMethod, type AnyFunction } from './fidelity/replace-method.js';
import { isOwnWorker } from './own-workers.js';
import { primordials } from './primordials.js';
import { recorder } from './runtime.js';

/** One end of one channel in this thread: its number here and how many messages went each way. */
interface End {
  channel: number;
  sent: number;
  received: number;
}

const HYBRID_DISPATCH = Symbol.for('nodejs.internal.kHybridDispatch');
let channels = 0;

function openEnd(kind: number, peer: number): End {
  const end: End = { channel: ++channels, sent: 0, received: 0 };
  recorder.message(EventType.MessageChannel, kind, end.channel, peer);
  return end;
}

/** The end of an object's channel (a Worker, a ChildProcess), opened the first time it is used. */
function endsOf(kind: number, peerOf: (owner: object) => unknown): (owner: object) => End | null {
  const ends = new primordials.WeakMap<object, End>();
  return (owner) => {
    let end = ends.get(owner);
    if (end === undefined) {
      const peer = peerOf(owner);
      if (typeof peer !== 'number' || !(peer >= 0)) return null;
      end = openEnd(kind, peer);
      ends.set(owner, end);
    }
    return end;
  };
}

/**
 * Message number 0 of a channel is the start of the worker or child: sent where the program
 * started it, received when the thread or process began recording. No message of the program's.
 */
function startSent(end: End | null): void {
  if (end !== null) recorder.message(EventType.MessageSend, end.channel, 0, recorder.currentTask());
}

function startReceived(end: End): void {
  recorder.message(EventType.MessageReceive, end.channel, 0, 0);
  recorder.message(EventType.MessageDelivered, end.channel, 0, 0);
}

function sent(end: End | null): void {
  if (end === null) return;
  recorder.message(EventType.MessageSend, end.channel, ++end.sent, recorder.currentTask());
}

function receiving(end: End | null): number {
  if (end === null) return 0;
  const n = ++end.received;
  recorder.message(EventType.MessageReceive, end.channel, n, recorder.currentTask());
  return n;
}

function delivered(end: End | null, n: number): void {
  if (end !== null && n > 0) recorder.message(EventType.MessageDelivered, end.channel, n, 0);
}

function quietly<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

/**
 * A send: the original first; counted only when it did not throw and, for IPC, the channel was
 * open (a closed one sends nothing: Node reports the error later and returns false).
 */
function countingSend(original: AnyFunction, endOf: (self: unknown, message: unknown) => End | null, needsConnection = false): AnyFunction {
  return function (this: unknown) {
    const open = !needsConnection || quietly(() => (this as { connected?: unknown }).connected === true, false);
    const result = primordials.apply(original, this, primordials.arrayFrom(arguments));
    if (open) quietly(() => sent(endOf(this, arguments[0])), undefined);
    return result;
  };
}

/**
 * A dispatch (an emit, a port's dispatch hook) that marks the listeners' run of each message:
 * `endOf` picks the channel end from the call's receiver and arguments (null: not a message).
 */
function markingDelivery(original: AnyFunction, endOf: (self: unknown, args: IArguments) => End | null): AnyFunction {
  return function emit(this: unknown) {
    const args = arguments;
    const end = quietly(() => endOf(this, args), null);
    const n = end === null ? 0 : quietly(() => receiving(end), 0);
    try {
      return primordials.apply(original, this, primordials.arrayFrom(arguments));
    } finally {
      quietly(() => delivered(end, n), undefined);
    }
  };
}

const isMessageEvent = (event: unknown) => event === 'message' || event === 'messageerror';

/** Cluster and handle passing send messages of Node's own over the same channel: not the program's. */
function isNodesOwn(message: unknown): boolean {
  if (typeof message !== 'object' || message === null) return false;
  // Read without calling a getter of the program's.
  const cmd = primordials.getOwnPropertyDescriptor(message, 'cmd')?.value;
  return typeof cmd === 'string' && cmd.startsWith('NODE_');
}

export interface MessageRecorder {
  /** A worker the program started (worker-flags.ts sees the construction): the arrow of its start. */
  workerStarted(worker: object): void;
}

export function recordMessages(options: { isMainThread: boolean }): MessageRecorder {
  const require = createRequire(import.meta.url);
  const workerEnd = quietly(() => recordWorkerPorts(require), null);
  if (!options.isMainThread && parentPort !== null) quietly(() => recordParentPort(parentPort!), undefined);
  quietly(() => recordChildIpc(require), undefined);
  // Every process's main thread: a recorded child's start is received here (the root's is never sent).
  if (options.isMainThread) quietly(recordParentIpc, undefined);
  return { workerStarted: (worker) => quietly(() => startSent(workerEnd?.(worker) ?? null), undefined) };
}

/** The module hooks thread that register() starts is a Worker of Node's own (InternalWorker). */
function isNodesHooksThread(worker: object): boolean {
  return (worker as { constructor?: { name?: unknown } }).constructor?.name === 'InternalWorker';
}

function recordWorkerPorts(require: NodeJS.Require): (worker: object) => End | null {
  const { Worker } = require('node:worker_threads') as { Worker: { prototype: object } };
  const endOf = endsOf(MessageChannelKind.WorkerPort, (worker) => (isOwnWorker(worker) || isNodesHooksThread(worker) ? -1 : (worker as { threadId?: unknown }).threadId));
  replaceMethod(Worker.prototype, 'postMessage', (original) => countingSend(original, (self) => endOf(self as object)));
  replaceMethod(Worker.prototype, 'emit', (original) => markingDelivery(original, (self, args) => (isMessageEvent(args[0]) ? endOf(self as object) : null)));
  return endOf;
}

function recordParentPort(port: object): void {
  const end = openEnd(MessageChannelKind.ParentPort, threadId);
  startReceived(end);
  // On the prototype, as Node has it (the port gets no property of its own that a program could
  // see); every port's postMessage goes through it, and only this port's messages count.
  replaceMethod(primordials.getPrototypeOf(port) as object, 'postMessage', (original) => countingSend(original, (self) => (self === port ? end : null)));
  // Node's ports hand every incoming message to this hook (its listeners, onmessage): (data, type, event).
  replaceMethod(port, HYBRID_DISPATCH, (original) => markingDelivery(original, (_self, args) => (isMessageEvent(args[1]) ? end : null)));
}

function recordChildIpc(require: NodeJS.Require): void {
  const { ChildProcess } = require('node:child_process') as { ChildProcess: { prototype: object } };
  const endOf = endsOf(MessageChannelKind.ChildIpc, (child) => (child as { pid?: unknown }).pid);
  // send is set on each child when its channel opens, inside spawn: wrapped right after.
  replaceMethod(ChildProcess.prototype, 'spawn', (original) =>
    function (this: unknown) {
      const result = primordials.apply(original, this, primordials.arrayFrom(arguments));
      const child = this as object;
      quietly(() => startSent(endOf(child)), undefined);
      quietly(() => {
        if (primordials.hasOwn(child, 'send')) replaceMethod(child, 'send', (send) => countingSend(send, (self, message) => (isNodesOwn(message) ? null : endOf(self as object)), true));
      }, undefined);
      return result;
    },
  );
  replaceMethod(ChildProcess.prototype, 'emit', (original) => markingDelivery(original, (self, args) => (args[0] === 'message' ? endOf(self as object) : null)));
}

function recordParentIpc(): void {
  const end = openEnd(MessageChannelKind.ParentIpc, process.pid);
  startReceived(end);
  if (typeof process.send !== 'function') return;
  replaceMethod(process, 'send', (original) => countingSend(original, (_self, message) => (isNodesOwn(message) ? null : end), true));
  replaceMethod(process, 'emit', (original) => markingDelivery(original, (self, args) => (args[0] === 'message' && self === process ? end : null)));
}
