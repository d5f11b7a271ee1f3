// Small async helpers shared by the samples of seeds 002-004 (lab, practice exercises, asyncio guide).
// Each one is the TypeScript counterpart of an asyncio building block the seeds lean on.
import { courseSeconds } from './env.js';

/** A promise together with its resolve/reject functions (asyncio's `loop.create_future()`). */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (reason: unknown) => void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * asyncio.as_completed: yields each promise's value in the order the promises settle
 * (a rejection is thrown at the point it arrives, like awaiting the future it belongs to).
 */
export async function* asCompleted<T>(promises: Iterable<Promise<T>>): AsyncGenerator<T> {
  const pending = new Map<number, Promise<{ key: number; result: PromiseSettledResult<T> }>>();
  let key = 0;
  for (const p of promises) {
    const k = key++;
    pending.set(
      k,
      p.then(
        (value) => ({ key: k, result: { status: 'fulfilled', value } as const }),
        (reason: unknown) => ({ key: k, result: { status: 'rejected', reason } as const }),
      ),
    );
  }
  while (pending.size > 0) {
    const { key: k, result } = await Promise.race(pending.values());
    pending.delete(k);
    if (result.status === 'rejected') throw result.reason;
    yield result.value;
  }
}

/** True for the error a cancelled operation rejects with (AbortController / AbortSignal.timeout). */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

/** A stopwatch that reads in course seconds (real elapsed time divided by SAMPLE_TIME_SCALE). */
export function stopwatch(): () => number {
  const started = performance.now();
  return () => courseSeconds(performance.now() - started);
}

/** Formats values the way Python prints them, so lines read like the seeds' expected output. */
export function pyRepr(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (value instanceof Error) return `${value.name}('${value.message}')`;
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return String(value);
}

/** Python's `"=" * 60` banners. */
export function banner(title: string): void {
  console.log('='.repeat(60));
  console.log(title);
  console.log('='.repeat(60));
}
