// Seed 002 (lab) Exercise 6 "Error Handling" (retry decorator, safe gather, wait_for/shield timeouts, cancellation,
// structured error logging); seed 003 (practice) Exercise 7 (retry with exponential backoff and jitter, circuit
// breaker); seed 004 (AsyncIO guide) Phase 2 §6 shield and section 6 "Timeouts & Cancellations" with its three
// challenges (retry on timeout with backoff, supervisor cancelling workers on a shutdown event, shield).
//
// Timeline, in order:
//   1. three attempts of a flaky call separated by growing back-off sleeps (0.5 s, 1.0 s);
//   2. one failing and one succeeding task side by side;
//   3. a 3 s operation cut at 1 s; then a remote call retried with timeouts of 0.8 s and back-off between tries;
//   4. shield: the 1 s timeout fires but the 3 s (and 2 s) protected operations keep going to their end;
//   5. a 5 s task cancelled at 1 s; three workers looping over jobs, all cut at 1 s by the shutdown signal;
//   6. a task failing twice then succeeding after 0.1 s and 0.2 s back-offs; six circuit-breaker calls 0.2 s
//      apart — two failures, blocked calls while open, then recovery.
import { random, scaled, sleep } from './lib/env.js';
import { isAbortError, pyRepr, stopwatch } from './lib/b-async.js';
import { createTask } from './lib/b-task.js';

const rand = random();

class ValueError extends Error {
  override name = 'ValueError';
}
class ConnectionError extends Error {
  override name = 'ConnectionError';
}
class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/** Structured error logging: one JSON object per event, easy to grep and to ship to a log store. */
function logEvent(level: 'info' | 'warn' | 'error', event: string, fields: Record<string, unknown>): void {
  console.log(`  ${JSON.stringify({ level, event, ...fields })}`);
}

// --- 1. 002 exercise 6: a retry wrapper (the Python decorator) ---------------------------------------------------
function retryAsync<A extends unknown[], R>(
  options: { maxRetries: number; delay: number; backoff?: number },
  fn: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args: A) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn(...args);
      } catch (error) {
        const err = error as Error;
        if (attempt > options.maxRetries) {
          logEvent('error', 'gave_up', { attempt, error: err.name, message: err.message });
          throw error;
        }
        const wait = options.delay * (options.backoff ?? 2) ** (attempt - 1);
        logEvent('warn', 'retry', { attempt, error: err.name, message: err.message, retry_in: wait });
        await sleep(wait);
      }
    }
  };
}

// --- 3. timeouts: wait_for with cancellation, and shield without -------------------------------------------------------
/**
 * asyncio.wait_for: runs `work` with a signal that aborts after `timeout` course seconds, so the work is cancelled
 * and the call rejects with a TimeoutError.
 */
async function waitFor<T>(work: (signal: AbortSignal) => Promise<T>, timeout: number): Promise<T> {
  const signal = AbortSignal.timeout(scaled(timeout));
  try {
    return await work(signal);
  } catch (error) {
    if (signal.aborted && isAbortError(error)) throw new TimeoutError(`timed out after ${timeout}s`);
    throw error;
  }
}

/**
 * wait_for(shield(promise)): gives up *waiting* after `timeout`, but the promise is not cancelled — it never saw
 * a signal — and can still be awaited later. (A promise has no cancel(); shielding means not passing a signal.)
 */
async function waitForShielded<T>(promise: Promise<T>, timeout: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`timed out after ${timeout}s`)), scaled(timeout));
  });
  try {
    return await Promise.race([promise, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

// --- 6. 003 exercise 7: a resilient task and a circuit breaker ------------------------------------------------------
interface RetryConfig {
  maxAttempts: number;
  initialDelay: number;
  maxDelay: number;
  exponentialBase: number;
}

interface TaskResult<T> {
  taskId: string;
  state: 'success' | 'failed';
  result?: T;
  error?: string;
  attempts: number;
  duration: number;
}

class AsyncTask<T> {
  constructor(
    readonly taskId: string,
    readonly fn: () => Promise<T>,
    readonly config: RetryConfig = { maxAttempts: 3, initialDelay: 1.0, maxDelay: 60, exponentialBase: 2 },
  ) {}

  async run(): Promise<TaskResult<T>> {
    const elapsed = stopwatch();
    let lastError = '';
    for (let attempts = 1; attempts <= this.config.maxAttempts; attempts++) {
      try {
        const result = await this.fn();
        return { taskId: this.taskId, state: 'success', result, attempts, duration: elapsed() };
      } catch (error) {
        lastError = (error as Error).message;
        if (attempts === this.config.maxAttempts) {
          return { taskId: this.taskId, state: 'failed', error: lastError, attempts, duration: elapsed() };
        }
        let delay = Math.min(this.config.initialDelay * this.config.exponentialBase ** (attempts - 1), this.config.maxDelay);
        delay += rand() * delay * 0.1; // jitter, so many clients do not retry in lockstep
        console.log(`  [RETRY] ${this.taskId}: ${lastError}`);
        console.log(`          Retrying in ${delay.toFixed(2)}s (attempt ${attempts + 1})`);
        await sleep(delay);
      }
    }
    throw new Error('unreachable');
  }
}

class CircuitBreakerOpenError extends Error {
  override name = 'CircuitBreakerOpenError';
}

class CircuitBreaker {
  state: 'closed' | 'open' | 'half_open' = 'closed';
  #failures = 0;
  #successes = 0;
  #nextAttempt = 0;
  constructor(readonly config = { failureThreshold: 5, successThreshold: 2, timeout: 30 }) {}

  async call<T>(fn: () => Promise<T>): Promise<T> {
    if (this.state === 'open') {
      if (performance.now() >= this.#nextAttempt) {
        this.state = 'half_open';
        this.#successes = 0;
        this.#failures = 0;
      } else {
        throw new CircuitBreakerOpenError(`Circuit breaker is open. Retry in ${((this.#nextAttempt - performance.now()) / scaled(1)).toFixed(2)}s`);
      }
    }
    try {
      const result = await fn();
      this.#onSuccess();
      return result;
    } catch (error) {
      this.#onFailure();
      throw error;
    }
  }
  #onSuccess(): void {
    if (this.state === 'half_open' && ++this.#successes >= this.config.successThreshold) {
      this.state = 'closed';
      console.log('  [CIRCUIT] Closed (recovered)');
    }
    this.#failures = 0;
  }
  #onFailure(): void {
    if (++this.#failures >= this.config.failureThreshold || this.state === 'half_open') {
      this.state = 'open';
      this.#nextAttempt = performance.now() + scaled(this.config.timeout);
      console.log('  [CIRCUIT] Opened (too many failures)');
    }
  }
}

async function main(): Promise<void> {
  console.log('== 1. Retry with backoff (002 exercise 6) ==');
  let calls = 0;
  const unreliableOperation = retryAsync({ maxRetries: 3, delay: 0.5 }, async () => {
    calls++;
    await sleep(0.05);
    if (rand() < 0.7) throw new ConnectionError('Network error'); // 70% failure rate
    return 'Success';
  });
  try {
    console.log(`Operation result: ${await unreliableOperation()}`);
  } catch (error) {
    console.log(`Operation failed: ${(error as Error).message}`);
  }
  console.log(`  (${calls} attempts)`);

  console.log('\n== 2. Safe gather ==');
  const failingTask = async (): Promise<string> => {
    await sleep(0.1);
    throw new ValueError('Task failed');
  };
  const successTask = async (): Promise<string> => {
    await sleep(0.1);
    return 'Task succeeded';
  };
  // allSettled = gather(return_exceptions=True): each outcome on its own, nobody's failure hides the rest.
  const settled = await Promise.allSettled([failingTask(), successTask()]);
  const results = settled.map((r) => (r.status === 'fulfilled' ? r.value : r.reason));
  console.log(`Safe gather results: ${pyRepr(results)}`);

  console.log('\n== 3. Timeouts (004 §6) ==');
  const task = async (signal: AbortSignal): Promise<string> => {
    await sleep(3, signal);
    return 'done';
  };
  try {
    console.log('result:', await waitFor(task, 1.0));
  } catch (error) {
    if (!(error instanceof TimeoutError)) throw error;
    console.log('operation timed out');
  }
  // Challenge 1: retry a remote call on timeout, with back-off between attempts.
  const latencies = [1.5, 1.2, 0.3]; // the first two answers come too late
  let attempt = 0;
  const remoteCall = async (signal: AbortSignal): Promise<string> => {
    const latency = latencies[Math.min(attempt, latencies.length - 1)]!;
    await sleep(latency, signal);
    return `answer after ${latency}s`;
  };
  for (attempt = 0; attempt < 4; attempt++) {
    try {
      console.log(`remote call attempt ${attempt + 1}: ${await waitFor(remoteCall, 0.8)}`);
      break;
    } catch (error) {
      if (!(error instanceof TimeoutError)) throw error;
      const backoff = 0.1 * 2 ** attempt;
      console.log(`remote call attempt ${attempt + 1}: timed out after 0.8s, retrying in ${backoff.toFixed(1)}s`);
      await sleep(backoff);
    }
  }

  console.log('\n== 4. Shield (004 phase 2 §6, section 6, challenge 3) ==');
  const protectedTask = async (): Promise<string> => {
    await sleep(3);
    return 'Protected done!';
  };
  const running = protectedTask();
  try {
    await waitForShielded(running, 1);
  } catch (error) {
    if (!(error instanceof TimeoutError)) throw error;
    console.log('Timeout, but task is still running...');
  }
  console.log('Result:', await running);
  const protectedOp = (async () => {
    await sleep(2);
    return 'protected done';
  })();
  try {
    console.log('Result:', await waitForShielded(protectedOp, 1.0));
  } catch (error) {
    if (!(error instanceof TimeoutError)) throw error;
    console.log('Timeout but protected coroutine keeps running in background');
    console.log('Finally got:', await protectedOp); // the same operation, not a new one
  }

  console.log('\n== 5. Cancellation and cleanup (004 §6, challenge 2) ==');
  const longTask = createTask('long_task', async (signal) => {
    try {
      console.log('long_task: started');
      await sleep(5, signal);
      console.log('long_task: finished');
    } catch (error) {
      if (isAbortError(error)) console.log('long_task: was cancelled, cleaning up');
      throw error; // re-raise so the caller knows it was cancelled
    }
  });
  await sleep(1);
  longTask.cancel();
  try {
    await longTask.promise;
  } catch (error) {
    if (!isAbortError(error)) throw error;
    console.log('main: confirmed task cancelled');
  }
  // A supervisor starts workers and cancels them all when the shutdown signal fires.
  const shutdown = new AbortController();
  const workerLoop = async (name: string, signal: AbortSignal): Promise<number> => {
    let jobs = 0;
    console.log(`${name}: opened its connection`);
    try {
      for (;;) {
        await sleep(0.3, signal); // one job
        jobs++;
      }
    } catch (error) {
      if (!isAbortError(error)) throw error;
      return jobs;
    } finally {
      console.log(`${name}: closing its connection`);
    }
  };
  const supervisor = async (): Promise<void> => {
    const workers = ['worker-1', 'worker-2', 'worker-3'].map((n) => workerLoop(n, shutdown.signal));
    const done = await Promise.all(workers);
    console.log(`supervisor: all workers stopped after ${done.join('+')} jobs`);
  };
  const supervised = supervisor();
  await sleep(1);
  console.log('shutdown requested');
  shutdown.abort();
  await supervised;

  console.log('\n' + '='.repeat(60));
  console.log('ASYNC ERROR HANDLING DEMO');
  console.log('='.repeat(60));
  console.log('\n1. Retry with Exponential Backoff');
  console.log('-'.repeat(40));
  let attemptCount = 0;
  const unreliableTask = async (): Promise<string> => {
    attemptCount++;
    await sleep(0.01);
    if (attemptCount < 3) throw new ValueError(`Attempt ${attemptCount} failed`);
    return 'Success!';
  };
  const result = await new AsyncTask('unreliable_task', unreliableTask, {
    maxAttempts: 3,
    initialDelay: 0.1,
    maxDelay: 60,
    exponentialBase: 2,
  }).run();
  console.log(`  Task ID: ${result.taskId}`);
  console.log(`  State: ${result.state}`);
  console.log(`  Attempts: ${result.attempts}`);
  console.log(`  Result: ${result.result}`);

  console.log('\n2. Circuit Breaker Pattern');
  console.log('-'.repeat(40));
  let failureCount = 0;
  const failingService = async (): Promise<string> => {
    failureCount++;
    await sleep(0.01);
    if (failureCount <= 2) throw new ConnectionError('Service unavailable');
    return 'Service recovered';
  };
  const circuit = new CircuitBreaker({ failureThreshold: 2, successThreshold: 2, timeout: 0.5 });
  for (let i = 0; i < 7; i++) {
    try {
      console.log(`  Call ${i + 1}: Success - ${await circuit.call(failingService)}`);
    } catch (error) {
      if (error instanceof CircuitBreakerOpenError) console.log(`  Call ${i + 1}: Blocked - ${error.message}`);
      else console.log(`  Call ${i + 1}: Failed - ${(error as Error).message}`);
    }
    await sleep(0.2);
  }
  console.log(`  Circuit state: ${circuit.state}`);
}

await main();
