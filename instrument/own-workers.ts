// The profiler's own worker threads (the clock ticker, the recorder): their messages are not the
// program's (messages.ts leaves them out).
const own = new WeakSet<object>();

export function ownWorker<W extends object>(worker: W): W {
  own.add(worker);
  return worker;
}

export function isOwnWorker(worker: object): boolean {
  return own.has(worker);
}
