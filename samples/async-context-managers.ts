// Seed 002 (lab) Exercise 4 "Async Context Managers" (file handler, timer, nested managers, resource pool) and the
// file-processing part of Exercise 7; seed 003 (practice) Exercise 3 (connection pool, rate limiter, timeout
// context); seed 004 (AsyncIO guide) §8 `async with` and its challenges 1 and 3, and the aiofiles example of §3.
//
// Node 20 has no `await using`, so an async context manager here is an object with enter()/exit() and the
// `asyncWith(manager, body)` helper below does what `async with` does: enter, run the body, and always exit —
// a try/finally.
//
// Timeline, in order: short 0.1 s enter/exit sleeps around a body; real file I/O (fs/promises) in a temp dir;
// a 1 s sleep measured by a timer; five jobs sharing a pool of two resources (never more than two overlap);
// two 0.01 s queries in parallel on pooled connections; six calls through a 2-slot rate limiter (pairs); a 0.5 s
// operation cut off by a 0.2 s timeout; three files processed concurrently.
import { mkdtemp, open, readFile, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scaled, sleep } from './lib/env.js';
import { deferred, isAbortError, stopwatch, type Deferred } from './lib/b-async.js';
import { taskGroup } from './lib/b-task.js';

/** The async context manager protocol (__aenter__ / __aexit__). */
interface AsyncContextManager<T> {
  enter(): Promise<T>;
  exit(error?: unknown): Promise<void>;
}

/** `async with manager as value: body(value)` */
async function asyncWith<T, R>(manager: AsyncContextManager<T>, body: (value: T) => Promise<R>): Promise<R> {
  const value = await manager.enter();
  let error: unknown;
  try {
    return await body(value);
  } catch (e) {
    error = e;
    throw e;
  } finally {
    await manager.exit(error); // runs on success, on error and on cancellation alike
  }
}

// --- 004 §8: a custom async context manager -------------------------------------------------------------------
class AsyncCtx implements AsyncContextManager<string> {
  async enter(): Promise<string> {
    console.log('enter: acquiring resource');
    await sleep(0.1);
    return 'resource';
  }
  async exit(): Promise<void> {
    console.log('exit: releasing resource');
    await sleep(0.1);
  }
}

// --- 002 Exercise 4: file handler, timer -----------------------------------------------------------------------
class AsyncFileHandler implements AsyncContextManager<AsyncFileHandler> {
  #file?: FileHandle;
  constructor(readonly path: string) {}
  async enter(): Promise<AsyncFileHandler> {
    this.#file = await open(this.path, 'w+');
    return this;
  }
  async exit(): Promise<void> {
    await this.#file?.close();
    this.#file = undefined;
  }
  async write(text: string): Promise<void> {
    await this.#file!.write(text);
  }
  async read(): Promise<string> {
    const { buffer, bytesRead } = await this.#file!.read({ buffer: Buffer.alloc(64 * 1024), position: 0 });
    return buffer.subarray(0, bytesRead).toString('utf8');
  }
}

class AsyncTimer implements AsyncContextManager<AsyncTimer> {
  #clock?: () => number;
  #final?: number;
  /** Seconds since enter (while inside), or the whole span once exited. */
  get elapsed(): number {
    return this.#final ?? this.#clock?.() ?? 0;
  }
  async enter(): Promise<AsyncTimer> {
    this.#clock = stopwatch();
    return this;
  }
  async exit(): Promise<void> {
    this.#final = this.#clock!();
  }
}

/** A temporary directory that is removed on exit. */
class TempDir implements AsyncContextManager<string> {
  #path?: string;
  async enter(): Promise<string> {
    this.#path = await mkdtemp(join(tmpdir(), 'async-prof-ctx-'));
    return this.#path;
  }
  async exit(): Promise<void> {
    if (this.#path) await rm(this.#path, { recursive: true, force: true });
  }
}

// --- 002 Exercise 4 / 004 §8 challenges 1 and 3: a resource pool -----------------------------------------------------
class ResourcePool<R> {
  readonly #idle: R[];
  readonly #waiters: Deferred<R>[] = [];
  inUse = 0;
  peak = 0;
  constructor(resources: R[]) {
    this.#idle = [...resources];
  }
  /** `async with pool.acquire() as resource:` — waits for a free resource and gives it back on exit. */
  acquire(): AsyncContextManager<R> {
    let held: R | undefined;
    return {
      enter: async () => {
        held = this.#idle.pop() ?? (await this.#wait());
        this.peak = Math.max(this.peak, ++this.inUse);
        return held;
      },
      exit: async () => {
        this.inUse--;
        const waiter = this.#waiters.shift();
        if (waiter) waiter.resolve(held!);
        else this.#idle.push(held!);
      },
    };
  }
  #wait(): Promise<R> {
    const d = deferred<R>();
    this.#waiters.push(d);
    return d.promise;
  }
}

// --- 003 Exercise 3: connection pool, rate limiter, timeout context ------------------------------------------------
class DatabaseConnection {
  inUse = false;
  constructor(readonly connectionId: number) {}
  async execute(query: string): Promise<string> {
    await sleep(0.01); // network latency
    return `Result for '${query}' from connection ${this.connectionId}`;
  }
  async close(): Promise<void> {
    console.log(`  Closing connection ${this.connectionId}`);
  }
}

class AsyncConnectionPool implements AsyncContextManager<AsyncConnectionPool> {
  readonly available: DatabaseConnection[] = [];
  readonly inUse = new Map<number, DatabaseConnection>();
  readonly #waiters: Deferred<DatabaseConnection>[] = [];
  constructor(readonly poolSize = 5) {
    for (let id = 1; id <= poolSize; id++) this.available.push(new DatabaseConnection(id));
  }
  async acquire(): Promise<DatabaseConnection> {
    let connection = this.available.pop();
    if (!connection) {
      const d = deferred<DatabaseConnection>(); // wait to be handed one, instead of polling
      this.#waiters.push(d);
      connection = await d.promise;
    }
    connection.inUse = true;
    this.inUse.set(connection.connectionId, connection);
    return connection;
  }
  async release(connection: DatabaseConnection): Promise<void> {
    if (!this.inUse.delete(connection.connectionId)) return;
    connection.inUse = false;
    const waiter = this.#waiters.shift();
    if (waiter) waiter.resolve(connection);
    else this.available.push(connection);
  }
  async enter(): Promise<AsyncConnectionPool> {
    return this;
  }
  async exit(): Promise<void> {
    // Close every connection, idle or not, in id order.
    const all = [...this.available, ...this.inUse.values()].sort((a, b) => a.connectionId - b.connectionId);
    for (const c of all) await c.close();
    this.available.length = 0;
    this.inUse.clear();
  }
}

/**
 * 003's RateLimiter is itself the context manager, holding a semaphore. Here the manager is the per-call slot
 * (`limiter.slot()`): state that belongs to one `async with` must not live on an object shared by concurrent calls.
 */
class RateLimiter {
  readonly #pool: ResourcePool<number>;
  constructor(readonly maxCalls: number) {
    this.#pool = new ResourcePool(Array.from({ length: maxCalls }, (_, i) => i));
  }
  get peak(): number {
    return this.#pool.peak;
  }
  slot(): AsyncContextManager<number> {
    return this.#pool.acquire();
  }
}

/** Gives the body an AbortSignal that fires after `timeout` course seconds (AbortSignal.timeout). */
class TimeoutContext implements AsyncContextManager<AbortSignal> {
  constructor(readonly timeout: number) {}
  async enter(): Promise<AbortSignal> {
    return AbortSignal.timeout(scaled(this.timeout));
  }
  async exit(error?: unknown): Promise<void> {
    if (isAbortError(error)) console.log(`  Operation timed out after ${this.timeout}s`);
  }
}

async function main(): Promise<void> {
  await asyncWith(new TempDir(), async (dir) => {
    console.log('== 1. Custom async context manager (004 §8) ==');
    await asyncWith(new AsyncCtx(), async (res) => {
      console.log('Using', res);
    });

    console.log('\n== 2. Async file I/O (004 §3) ==');
    await writeFile(join(dir, 'test.txt'), 'hello async world\n');
    const content = await readFile(join(dir, 'test.txt'), 'utf8');
    console.log('File content:', content.trimEnd());

    console.log('\n== 3. File handler, timer, nesting (002 exercise 4) ==');
    await asyncWith(new AsyncFileHandler(join(dir, 'test.txt')), async (handler) => {
      await handler.write('Hello, async world!');
      console.log(`File content: ${await handler.read()}`);
    });
    const timer = new AsyncTimer();
    await asyncWith(timer, () => sleep(1.0));
    console.log(`Elapsed time: ${timer.elapsed.toFixed(2)}s`);
    await asyncWith(new AsyncTimer(), async (outerTimer) => {
      await asyncWith(new AsyncFileHandler(join(dir, 'nested_test.txt')), async (handler) => {
        await handler.write('Nested operations');
      });
      console.log(`Inner operations took: ${outerTimer.elapsed.toFixed(2)}s`);
    });

    console.log('\n== 4. Resource pool shared by a task group (002 exercise 4, 004 §8 challenges) ==');
    const pool = new ResourcePool(['resource-A', 'resource-B']);
    await taskGroup((tg) => {
      for (let i = 1; i <= 5; i++) {
        tg.spawn(`job-${i}`, () =>
          asyncWith(pool.acquire(), async (resource) => {
            console.log(`  job-${i} got ${resource}`);
            await sleep(0.3);
          }),
        );
      }
    });
    console.log(`  5 jobs done, at most ${pool.peak} resources in use at once, ${pool.inUse} still held`);

    console.log('\nConnection Pool Demo');
    console.log('-'.repeat(40));
    await asyncWith(new AsyncConnectionPool(3), async (connPool) => {
      const conn1 = await connPool.acquire();
      const conn2 = await connPool.acquire();
      console.log(`  Using ${connPool.inUse.size} connections`);
      const results = await Promise.all([conn1.execute('SELECT * FROM users'), conn2.execute('SELECT * FROM orders')]);
      console.log(`  Results: ${results.length} queries executed`);
      await connPool.release(conn1);
      await connPool.release(conn2);
      console.log(`  Available connections: ${connPool.available.length}`);
    });

    console.log('\nRate limiter (at most 2 calls at once):');
    const limiter = new RateLimiter(2);
    const clock = stopwatch();
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        asyncWith(limiter.slot(), async () => {
          console.log(`  call ${i + 1} starts at ${clock().toFixed(1)}s`);
          await sleep(0.2);
        }),
      ),
    );
    console.log(`  6 calls done, at most ${limiter.peak} at once, ${clock().toFixed(2)}s`);

    console.log('\nTimeout context (0.2s limit, 0.5s operation):');
    try {
      await asyncWith(new TimeoutContext(0.2), (signal) => sleep(0.5, signal));
      console.log('  Operation finished in time');
    } catch (error) {
      if (!isAbortError(error)) throw error;
    }

    console.log('\n== 5. Processing several files (002 exercise 7) ==');
    const filenames = ['file1.txt', 'file2.txt', 'file3.txt'];
    await Promise.all(filenames.map((f) => writeFile(join(dir, f), `Content of ${f}\n`.repeat(3))));
    const processed = await Promise.all(
      filenames.map(async (f) => {
        const text = await readFile(join(dir, f), 'utf8');
        await sleep(0.2); // pretend analysis
        return { file: f, lines: text.trimEnd().split('\n').length, bytes: text.length };
      }),
    );
    for (const p of processed) console.log(`  ${p.file}: ${p.lines} lines, ${p.bytes} bytes`);
    console.log(`Processed ${processed.length} files`);
  });
}

await main();
