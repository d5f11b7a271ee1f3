// asyncio.Queue, PriorityQueue and LifoQueue for the samples of seeds 002-004, written out because the
// exercises are about how they behave: `put` waits while a bounded queue is full, `get` waits while it is
// empty, `taskDone`/`join` track finished items, and `close` (Python 3.13's `shutdown`) lets consumers
// leave a `for await` loop once the queue is drained instead of needing sentinel values.
import { deferred, type Deferred } from './b-async.js';

export class QueueClosedError extends Error {
  override name = 'QueueClosedError';
}

/** Where the items live; the three queue kinds differ only here. */
interface Store<T> {
  push(item: T): void;
  pop(): T;
  readonly length: number;
}

class FifoStore<T> implements Store<T> {
  #items: T[] = [];
  #head = 0;
  push(item: T): void {
    this.#items.push(item);
  }
  pop(): T {
    const item = this.#items[this.#head++] as T;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }
  get length(): number {
    return this.#items.length - this.#head;
  }
}

class LifoStore<T> implements Store<T> {
  #items: T[] = [];
  push(item: T): void {
    this.#items.push(item);
  }
  pop(): T {
    return this.#items.pop() as T;
  }
  get length(): number {
    return this.#items.length;
  }
}

/** A binary min-heap: the item that compares lowest comes out first (like heapq). Ties leave in insertion order. */
class HeapStore<T> implements Store<T> {
  #heap: { item: T; seq: number }[] = [];
  #seq = 0;
  constructor(private readonly compare: (a: T, b: T) => number) {}
  #less(i: number, j: number): boolean {
    const a = this.#heap[i]!;
    const b = this.#heap[j]!;
    const c = this.compare(a.item, b.item);
    return c < 0 || (c === 0 && a.seq < b.seq);
  }
  #swap(i: number, j: number): void {
    [this.#heap[i], this.#heap[j]] = [this.#heap[j]!, this.#heap[i]!];
  }
  push(item: T): void {
    this.#heap.push({ item, seq: this.#seq++ });
    let i = this.#heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(i, parent)) break;
      this.#swap(i, parent);
      i = parent;
    }
  }
  pop(): T {
    const top = this.#heap[0]!.item;
    const last = this.#heap.pop()!;
    if (this.#heap.length > 0) {
      this.#heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < this.#heap.length && this.#less(l, smallest)) smallest = l;
        if (r < this.#heap.length && this.#less(r, smallest)) smallest = r;
        if (smallest === i) break;
        this.#swap(i, smallest);
        i = smallest;
      }
    }
    return top;
  }
  get length(): number {
    return this.#heap.length;
  }
}

export class AsyncQueue<T> implements AsyncIterable<T> {
  readonly #store: Store<T>;
  readonly #getters: Deferred<T>[] = [];
  readonly #putters: { item: T; done: Deferred<void> }[] = [];
  #unfinished = 0;
  #joiners: Deferred<void>[] = [];
  #closed = false;

  /** maxsize 0 means unbounded, as in asyncio. */
  constructor(
    readonly maxsize = 0,
    store?: Store<T>,
  ) {
    this.#store = store ?? new FifoStore<T>();
  }

  get size(): number {
    return this.#store.length;
  }
  empty(): boolean {
    return this.#store.length === 0;
  }
  full(): boolean {
    return this.maxsize > 0 && this.#store.length >= this.maxsize;
  }

  /** Waits while the queue is full, then adds the item. */
  async put(item: T): Promise<void> {
    if (this.#closed) throw new QueueClosedError('put() on a closed queue');
    if (this.full()) {
      const done = deferred<void>();
      this.#putters.push({ item, done });
      return done.promise;
    }
    this.#add(item);
  }

  /** Adds the item or throws if the queue is full (put_nowait). */
  putNowait(item: T): void {
    if (this.#closed) throw new QueueClosedError('put() on a closed queue');
    if (this.full()) throw new Error('queue is full');
    this.#add(item);
  }

  #add(item: T): void {
    this.#unfinished++;
    this.#store.push(item);
    const getter = this.#getters.shift();
    if (getter) getter.resolve(this.#store.pop());
  }

  /**
   * Waits while the queue is empty, then removes and returns an item. Throws QueueClosedError once closed and
   * drained. With a signal, giving up (e.g. AbortSignal.timeout) leaves the queue untouched: no item is lost.
   */
  async get(signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    if (this.#store.length > 0) {
      const item = this.#store.pop();
      this.#admitPutter();
      return item;
    }
    if (this.#closed) throw new QueueClosedError('get() on a closed, empty queue');
    const getter = deferred<T>();
    this.#getters.push(getter);
    if (!signal) return getter.promise;
    const onAbort = (): void => {
      const i = this.#getters.indexOf(getter);
      if (i >= 0) this.#getters.splice(i, 1);
      getter.reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await getter.promise;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  #admitPutter(): void {
    const putter = this.#putters.shift();
    if (putter) {
      this.#add(putter.item);
      putter.done.resolve();
    }
  }

  /** Marks one item taken with get() as processed. */
  taskDone(): void {
    if (this.#unfinished <= 0) throw new Error('taskDone() called too many times');
    this.#unfinished--;
    if (this.#unfinished === 0) {
      for (const j of this.#joiners) j.resolve();
      this.#joiners = [];
    }
  }

  /** Waits until every item put so far has been marked done. */
  join(): Promise<void> {
    if (this.#unfinished === 0) return Promise.resolve();
    const j = deferred<void>();
    this.#joiners.push(j);
    return j.promise;
  }

  /** No more puts; waiting getters are released once the queue is empty. */
  close(): void {
    this.#closed = true;
    if (this.#store.length === 0) {
      for (const g of this.#getters.splice(0)) g.reject(new QueueClosedError('queue closed'));
    }
  }

  /** `for await (const item of queue)`: items until the queue is closed and drained. Each item is marked done after the loop body. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      let item: T;
      try {
        item = await this.get();
      } catch (error) {
        if (error instanceof QueueClosedError) return;
        throw error;
      }
      try {
        yield item;
      } finally {
        this.taskDone();
      }
    }
  }
}

/** Lowest first (asyncio.PriorityQueue holds (priority, item) tuples and pops the smallest). */
export class PriorityQueue<T> extends AsyncQueue<T> {
  constructor(compare: (a: T, b: T) => number, maxsize = 0) {
    super(maxsize, new HeapStore(compare));
  }
}

/** Last in, first out (asyncio.LifoQueue). */
export class LifoQueue<T> extends AsyncQueue<T> {
  constructor(maxsize = 0) {
    super(maxsize, new LifoStore<T>());
  }
}
