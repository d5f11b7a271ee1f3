// A bounded async channel: the TypeScript counterpart of asyncio.Queue(maxsize=...), which Node
// has no built-in for. `put` waits while the channel is full (backpressure), `get` waits while it
// is empty; `close` lets readers drain what is left and then see `done`. With a `compare`
// function it becomes a priority channel (smallest first, FIFO among equals).

export class ClosedChannelError extends Error {
  constructor() {
    super('channel is closed');
  }
}

interface Entry<T> {
  value: T;
  seq: number;
}

export class Channel<T> implements AsyncIterable<T> {
  private readonly items: Entry<T>[] = [];
  private readonly getters: Array<(result: IteratorResult<T>) => void> = [];
  private readonly putters: Array<{ entry: Entry<T>; resolve: () => void; reject: (e: Error) => void }> = [];
  private seq = 0;
  private closed = false;
  /** The most items ever buffered at once. */
  peakSize = 0;
  /** How many `put` calls had to wait because the channel was full. */
  blockedPuts = 0;

  constructor(
    readonly capacity: number,
    private readonly compare?: (a: T, b: T) => number,
  ) {
    if (!(capacity >= 1)) throw new RangeError('capacity must be at least 1');
  }

  get size(): number {
    return this.items.length;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Adds a value, waiting while the channel is full. Rejects once the channel is closed. */
  put(value: T): Promise<void> {
    if (this.closed) return Promise.reject(new ClosedChannelError());
    const entry = { value, seq: this.seq++ };
    const getter = this.getters.shift();
    if (getter) {
      getter({ value, done: false });
      return Promise.resolve();
    }
    if (this.items.length < this.capacity) {
      this.insert(entry);
      return Promise.resolve();
    }
    this.blockedPuts++;
    return new Promise((resolve, reject) => this.putters.push({ entry, resolve, reject }));
  }

  /** Takes the next value (the smallest one for a priority channel); `done` once closed and empty. */
  get(): Promise<IteratorResult<T>> {
    const entry = this.items.shift();
    if (entry) {
      const putter = this.putters.shift();
      if (putter) {
        this.insert(putter.entry);
        putter.resolve();
      }
      return Promise.resolve({ value: entry.value, done: false });
    }
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** No more puts; waiting readers finish once the buffer is drained. Waiting writers are rejected. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const getter of this.getters.splice(0)) getter({ value: undefined, done: true });
    for (const putter of this.putters.splice(0)) putter.reject(new ClosedChannelError());
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      const next = await this.get();
      if (next.done) return;
      yield next.value;
    }
  }

  private insert(entry: Entry<T>): void {
    const compare = this.compare;
    if (!compare) {
      this.items.push(entry);
    } else {
      // Binary search for the first item that sorts after `entry` (stable: equal keys keep FIFO order).
      let lo = 0;
      let hi = this.items.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const c = compare(this.items[mid]!.value, entry.value);
        if (c < 0 || (c === 0 && this.items[mid]!.seq < entry.seq)) lo = mid + 1;
        else hi = mid;
      }
      this.items.splice(lo, 0, entry);
    }
    if (this.items.length > this.peakSize) this.peakSize = this.items.length;
  }
}
