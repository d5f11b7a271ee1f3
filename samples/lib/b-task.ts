// Tasks and task groups for the samples of seeds 002-004.
//
// A JavaScript promise starts running as soon as it is created, so "asyncio.create_task" is just calling
// the async function. What a bare promise lacks is a handle to cancel it and to ask whether it is done;
// `Task` adds both (cancellation is an AbortSignal the work must pass on to whatever it awaits).
// `taskGroup` is asyncio.TaskGroup: if one child fails, the others are cancelled and the failures are
// thrown together as an AggregateError once every child has settled.
import { isAbortError } from './b-async.js';

export type TaskState = 'running' | 'fulfilled' | 'rejected' | 'cancelled';

export class Task<T> {
  readonly #controller = new AbortController();
  state: TaskState = 'running';
  readonly promise: Promise<T>;

  constructor(
    readonly name: string,
    work: (signal: AbortSignal) => Promise<T>,
    parent?: AbortSignal,
  ) {
    const signal = parent ? AbortSignal.any([parent, this.#controller.signal]) : this.#controller.signal;
    this.promise = work(signal);
    // Attaching both handlers also marks the promise as handled: a task that fails or is cancelled and
    // never awaited does not crash the process (asyncio would log "exception was never retrieved").
    this.promise.then(
      () => (this.state = 'fulfilled'),
      (error: unknown) => (this.state = isAbortError(error) ? 'cancelled' : 'rejected'),
    );
  }

  get done(): boolean {
    return this.state !== 'running';
  }

  /** Requests cancellation: the task's signal aborts and whatever it is awaiting rejects with AbortError. */
  cancel(): void {
    this.#controller.abort();
  }
}

/** Starts `work` now and returns a handle to it (asyncio.create_task). */
export function createTask<T>(name: string, work: (signal: AbortSignal) => Promise<T>): Task<T> {
  return new Task(name, work);
}

export class TaskGroup {
  readonly #controller = new AbortController();
  readonly #tasks: Task<unknown>[] = [];
  readonly errors: unknown[] = [];

  /** The group's signal: aborted as soon as one child fails. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  spawn<T>(name: string, work: (signal: AbortSignal) => Promise<T>): Task<T> {
    const task = new Task(name, work, this.#controller.signal);
    task.promise.catch((error: unknown) => {
      if (isAbortError(error) && this.#controller.signal.aborted) return; // cancelled by the group
      this.errors.push(error);
      this.#controller.abort(); // one failure cancels every sibling
    });
    this.#tasks.push(task as Task<unknown>);
    return task;
  }

  /** Cancels every child (used when the group's own body fails). */
  cancelAll(): void {
    this.#controller.abort();
  }

  async wait(): Promise<void> {
    // Children may spawn more children while we wait, so loop until a pass adds none.
    let seen = 0;
    while (seen < this.#tasks.length) {
      const batch = this.#tasks.slice(seen);
      seen = this.#tasks.length;
      await Promise.allSettled(batch.map((t) => t.promise));
    }
  }
}

/**
 * `async with asyncio.TaskGroup() as tg:` — runs `body`, waits for every task it spawned, and throws an
 * AggregateError of the failures (if any). Child tasks receive the group's signal.
 */
export async function taskGroup(body: (tg: TaskGroup) => void | Promise<void>): Promise<void> {
  const group = new TaskGroup();
  try {
    await body(group);
  } catch (error) {
    group.errors.push(error);
    group.cancelAll();
  }
  await group.wait();
  if (group.errors.length > 0) {
    throw new AggregateError(group.errors, `unhandled errors in a TaskGroup (${group.errors.length} sub-exception)`);
  }
}
