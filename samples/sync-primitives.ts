// Seed 004 (AsyncIO guide) section 4 "Synchronization Primitives": Lock, Semaphore, Event, Condition and the
// producer-consumer problem, with the section's three challenges (a pool of 3 slots, a monitor starting workers with
// an Event, producer/consumer with a Condition and again with a queue). The exercise is to write the primitives,
// so they are written here rather than taken from a library.
//
// Timeline, in order:
//   1. Lock: critical sections never overlap — five 0.1 s increments one after another; then the same without a
//      lock, all five overlapping (and the counter ends wrong).
//   2. Semaphore: never more than 2 (then 3) of the 2 s / 1 s / 0.5 s workers overlap.
//   3. Event: waiters sit idle until the setter fires at 1 s, then all resume at the same moment.
//   4. Condition: consumers idle until each 0.5 s production wakes them.
//   5. Producer/consumer: one producer and three consumers around a bounded queue of 5.
//   6. The same job done with a Condition and with a queue.
import { random, sleep } from './lib/env.js';
import { deferred, stopwatch, type Deferred } from './lib/b-async.js';
import { AsyncQueue } from './lib/b-queue.js';

const rand = random();
const uniform = (a: number, b: number): number => a + (b - a) * rand();

// --- the primitives ----------------------------------------------------------------------------------------------------

/** Mutual exclusion between async functions. FIFO: release hands the lock straight to the longest waiter. */
class Lock {
  #locked = false;
  readonly #waiters: Deferred<void>[] = [];
  locked(): boolean {
    return this.#locked;
  }
  async acquire(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return;
    }
    const d = deferred<void>();
    this.#waiters.push(d);
    await d.promise; // ownership is handed over on release; #locked stays true
  }
  release(): void {
    if (!this.#locked) throw new Error('release() of an unlocked lock');
    const next = this.#waiters.shift();
    if (next) next.resolve();
    else this.#locked = false;
  }
  /** `async with lock:` */
  async run<T>(body: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await body();
    } finally {
      this.release();
    }
  }
}

/** At most `value` holders at once. */
class Semaphore {
  readonly #waiters: Deferred<void>[] = [];
  constructor(private value: number) {}
  async acquire(): Promise<void> {
    if (this.value > 0) {
      this.value--;
      return;
    }
    const d = deferred<void>();
    this.#waiters.push(d);
    await d.promise;
  }
  release(): void {
    const next = this.#waiters.shift();
    if (next) next.resolve(); // the permit goes straight to a waiter
    else this.value++;
  }
  async run<T>(body: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await body();
    } finally {
      this.release();
    }
  }
}

/** A flag coroutines can wait for. */
class Event {
  #set = false;
  #waiters: Deferred<void>[] = [];
  isSet(): boolean {
    return this.#set;
  }
  set(): void {
    this.#set = true;
    for (const w of this.#waiters) w.resolve();
    this.#waiters = [];
  }
  clear(): void {
    this.#set = false;
  }
  async wait(): Promise<void> {
    if (this.#set) return;
    const d = deferred<void>();
    this.#waiters.push(d);
    await d.promise;
  }
}

/** A lock plus notifications: wait() releases the lock while waiting and re-acquires it before returning. */
class Condition {
  readonly #waiters: Deferred<void>[] = [];
  constructor(readonly lock = new Lock()) {}
  acquire(): Promise<void> {
    return this.lock.acquire();
  }
  release(): void {
    this.lock.release();
  }
  run<T>(body: () => Promise<T>): Promise<T> {
    return this.lock.run(body);
  }
  /** Call with the lock held. */
  async wait(): Promise<void> {
    if (!this.lock.locked()) throw new Error('wait() without holding the lock');
    const d = deferred<void>();
    this.#waiters.push(d);
    this.lock.release();
    try {
      await d.promise;
    } finally {
      await this.lock.acquire();
    }
  }
  async waitFor(predicate: () => boolean): Promise<void> {
    while (!predicate()) await this.wait();
  }
  notify(n = 1): void {
    if (!this.lock.locked()) throw new Error('notify() without holding the lock');
    for (const w of this.#waiters.splice(0, n)) w.resolve();
  }
  notifyAll(): void {
    this.notify(this.#waiters.length);
  }
}

// --- 1. Lock -------------------------------------------------------------------------------------------------------------
async function criticalSection(lock: Lock, name: string): Promise<void> {
  await lock.run(async () => {
    console.log(`${name} acquired the lock and is accessing shared resource.`);
    await sleep(0.1);
    console.log(`${name} released the lock.`);
  });
}

async function safeIncrement(name: string, counter: { value: number }, lock: Lock): Promise<void> {
  await lock.run(async () => {
    const val = counter.value;
    console.log(`${name} sees ${val}`);
    await sleep(0.1); // the read-modify-write spans an await: without the lock others would read the same value
    counter.value = val + 1;
    console.log(`${name} incremented to ${counter.value}`);
  });
}

async function unsafeIncrement(counter: { value: number }): Promise<void> {
  const val = counter.value;
  await sleep(0.1);
  counter.value = val + 1;
}

// --- 2. Semaphore --------------------------------------------------------------------------------------------------------
async function semWorker(semaphore: Semaphore, name: string): Promise<void> {
  console.log(`${name}: Waiting to acquire semaphore...`);
  await semaphore.run(async () => {
    console.log(`${name}: Acquired semaphore, working...`);
    await sleep(2);
    console.log(`${name}: Released semaphore.`);
  });
}

async function limitedWorker(i: number, sem: Semaphore): Promise<void> {
  await sem.run(async () => {
    console.log(`Worker ${i} acquired slot`);
    await sleep(1);
    console.log(`Worker ${i} releasing slot`);
  });
}

// --- 3. Event ------------------------------------------------------------------------------------------------------------
async function waiter(event: Event, name: string): Promise<void> {
  console.log(`Coroutine ${name}: Waiting for event...`);
  await event.wait();
  console.log(`Coroutine ${name}: Event received!`);
}

async function setter(event: Event): Promise<void> {
  await sleep(1);
  console.log('Setter: Setting the event...');
  event.set();
}

// --- 4. Condition --------------------------------------------------------------------------------------------------------
async function condConsumer(condition: Condition, itemList: string[]): Promise<void> {
  await condition.run(async () => {
    await condition.waitFor(() => itemList.length > 0);
    const item = itemList.shift()!;
    console.log(`Consumer consumed: ${item}`);
  });
}

async function condProducer(condition: Condition, itemList: string[]): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await sleep(0.5);
    await condition.run(async () => {
      itemList.push(`item_${i}`);
      console.log(`Producer produced: item_${i}`);
      condition.notifyAll();
    });
  }
}

async function dequeProducer(cond: Condition, q: number[]): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await sleep(0.5);
    await cond.run(async () => {
      q.push(i);
      console.log('Produced', i);
      cond.notify();
    });
  }
}

async function dequeConsumer(cond: Condition, q: number[]): Promise<void> {
  for (;;) {
    const item = await cond.run(async () => {
      while (q.length === 0) await cond.wait();
      return q.shift()!;
    });
    console.log('Consumed', item);
    if (item === 2) break;
  }
}

// --- 5. Producer/consumer with a queue ---------------------------------------------------------------------------------
async function queueProducer(queue: AsyncQueue<string | null>, numItems: number): Promise<void> {
  for (let i = 0; i < numItems; i++) {
    const item = `Item-${i}`;
    console.log(`Producer: Putting ${item} into the queue.`);
    await queue.put(item);
    await sleep(uniform(0.1, 0.5));
  }
}

async function queueConsumer(queue: AsyncQueue<string | null>, consumerId: number): Promise<number> {
  let processed = 0;
  for (;;) {
    const item = await queue.get();
    if (item === null) {
      console.log(`Consumer ${consumerId}: Received termination signal.`);
      queue.taskDone();
      return processed;
    }
    console.log(`Consumer ${consumerId}: Processing ${item}.`);
    await sleep(uniform(0.2, 0.8));
    processed++;
    queue.taskDone();
  }
}

// --- 6. Challenge 3: the same job with a Condition and with a queue ------------------------------------------------------
class ConditionBuffer<T> {
  readonly #items: T[] = [];
  readonly #cond = new Condition();
  #done = false;
  constructor(readonly capacity: number) {}
  put(item: T): Promise<void> {
    return this.#cond.run(async () => {
      await this.#cond.waitFor(() => this.#items.length < this.capacity);
      this.#items.push(item);
      this.#cond.notifyAll();
    });
  }
  finish(): Promise<void> {
    return this.#cond.run(async () => {
      this.#done = true;
      this.#cond.notifyAll();
    });
  }
  /** The next item, or undefined once finished and empty. */
  get(): Promise<T | undefined> {
    return this.#cond.run(async () => {
      await this.#cond.waitFor(() => this.#items.length > 0 || this.#done);
      const item = this.#items.shift();
      this.#cond.notifyAll(); // a slot is free for the producer
      return item;
    });
  }
}

async function main(): Promise<void> {
  console.log('== 1. Lock ==');
  const lock = new Lock();
  await Promise.all([criticalSection(lock, 'Task 1'), criticalSection(lock, 'Task 2')]);
  const counter = { value: 0 };
  await Promise.all([0, 1, 2, 3, 4].map((i) => safeIncrement(`task${i}`, counter, lock)));
  console.log('Final counter:', counter.value);
  const unsafe = { value: 0 };
  await Promise.all([0, 1, 2, 3, 4].map(() => unsafeIncrement(unsafe)));
  console.log(`Without the lock: Final counter: ${unsafe.value} (lost updates)`);

  console.log('\n== 2. Semaphore ==');
  const semaphore = new Semaphore(2);
  await Promise.all(['Worker A', 'Worker B', 'Worker C', 'Worker D'].map((n) => semWorker(semaphore, n)));
  const sem = new Semaphore(2);
  await Promise.all([0, 1, 2, 3, 4].map((i) => limitedWorker(i, sem)));
  // Challenge 1: a shared resource pool of 3 slots.
  const pool = new Semaphore(3);
  let busy = 0;
  let peak = 0;
  await Promise.all(
    [1, 2, 3, 4, 5, 6].map((u) =>
      pool.run(async () => {
        peak = Math.max(peak, ++busy);
        console.log(`user-${u} is using the shared resource (${busy} of 3 slots busy)`);
        await sleep(0.5);
        busy--;
      }),
    ),
  );
  console.log(`Pool: 6 users served, at most ${peak} at once`);

  console.log('\n== 3. Event ==');
  const event = new Event();
  await Promise.all([waiter(event, 'A'), waiter(event, 'B'), setter(event)]);
  // Challenge 2: a monitor prepares, then starts every worker at the same moment.
  const start = new Event();
  const clock = stopwatch();
  const startTimes: number[] = [];
  const workers = [1, 2, 3].map(async (w) => {
    await start.wait();
    startTimes.push(clock());
    console.log(`worker-${w} started`);
    await sleep(0.2);
  });
  await sleep(0.5); // the monitor gets things ready
  console.log('monitor: ready, starting all workers');
  start.set();
  await Promise.all(workers);
  console.log(`All 3 workers started within ${(Math.max(...startTimes) - Math.min(...startTimes)).toFixed(3)}s of each other`);

  console.log('\n== 4. Condition ==');
  const condition = new Condition();
  const itemList: string[] = [];
  const consumers = [0, 1].map(() => condConsumer(condition, itemList)); // consumers first, so they are waiting
  await Promise.all([condProducer(condition, itemList), ...consumers]);
  const cond = new Condition();
  const q: number[] = [];
  await Promise.all([dequeProducer(cond, q), dequeConsumer(cond, q)]);

  console.log('\n== 5. Producer/consumer with a bounded queue ==');
  const queue = new AsyncQueue<string | null>(5);
  const numConsumers = 3;
  const producerTask = queueProducer(queue, 10);
  const consumerTasks = Array.from({ length: numConsumers }, (_, i) => queueConsumer(queue, i));
  await producerTask;
  for (let i = 0; i < numConsumers; i++) await queue.put(null); // one sentinel per consumer
  const counts = await Promise.all(consumerTasks);
  console.log('All tasks completed.');
  console.log(`  items per consumer: ${counts.join(', ')} (total ${counts.reduce((a, b) => a + b, 0)})`);

  console.log('\n== 6. Condition vs queue (challenge 3) ==');
  const job = async (
    put: (n: number) => Promise<void>,
    finish: () => Promise<void>,
    consume: () => Promise<number[]>,
  ): Promise<number[][]> => {
    const producer = (async () => {
      for (let i = 0; i < 10; i++) {
        await put(i);
        await sleep(0.02);
      }
      await finish();
    })();
    const result = await Promise.all([consume(), consume()]);
    await producer;
    return result;
  };
  const buffer = new ConditionBuffer<number>(3);
  const byCondition = await job(
    (n) => buffer.put(n),
    () => buffer.finish(),
    async () => {
      const got: number[] = [];
      for (let item = await buffer.get(); item !== undefined; item = await buffer.get()) {
        got.push(item);
        await sleep(0.05);
      }
      return got;
    },
  );
  const bounded = new AsyncQueue<number>(3);
  const byQueue = await job(
    (n) => bounded.put(n),
    async () => bounded.close(),
    async () => {
      const got: number[] = [];
      for await (const item of bounded) {
        got.push(item);
        await sleep(0.05);
      }
      return got;
    },
  );
  const total = (parts: number[][]): number => parts.reduce((a, p) => a + p.length, 0);
  console.log(`Condition version: consumed ${total(byCondition)} items (${byCondition.map((p) => p.length).join(' + ')})`);
  console.log(`Queue version: consumed ${total(byQueue)} items (${byQueue.map((p) => p.length).join(' + ')})`);
  console.log('  the queue needs no lock, predicate or notify of its own: put/get do the waiting');
}

await main();
