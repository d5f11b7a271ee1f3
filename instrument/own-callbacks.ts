// The profiler's own timer callbacks (its lag probe, its periodic flush and profile cuts), known
// so that --hooks (async-hooks-mode.ts) does not take the profiler's timers for the program's.
const own = new WeakSet<object>();

export function ownCallback<F extends (...args: never[]) => unknown>(fn: F): F {
  own.add(fn);
  return fn;
}

/** A timer or an immediate whose callback is the profiler's. */
export function isOwnResource(resource: object): boolean {
  const callback = (resource as { _onTimeout?: unknown })._onTimeout ?? (resource as { _onImmediate?: unknown })._onImmediate;
  return typeof callback === 'function' && own.has(callback);
}
