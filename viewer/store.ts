// A small observable store: one state object that is replaced, never mutated; set() merges a
// patch and tells the listeners which keys changed. Synchronous on purpose: whoever reads right
// after a write sees the new state (drawing is still one frame at most: the renderer coalesces
// its requests). A listener may write in turn; its change is announced after the current round,
// so every listener sees every change, in order, against the latest state.

export type Listener<S> = (state: Readonly<S>, changed: ReadonlySet<keyof S>) => void;

interface Subscription<S> {
  keys: ReadonlySet<keyof S> | null;
  listener: Listener<S>;
}

export class Store<S extends object> {
  private current: Readonly<S>;
  private readonly subscriptions = new Set<Subscription<S>>();
  private unannounced = new Set<keyof S>();
  private announcing = false;

  constructor(initial: S) {
    this.current = { ...initial };
  }

  get state(): Readonly<S> {
    return this.current;
  }

  /** Merges the patch; keys whose value is the same (Object.is) or undefined change nothing. */
  set(patch: Partial<S>): void {
    let next: S | null = null;
    for (const key of Object.keys(patch) as (keyof S)[]) {
      const value = patch[key];
      if (value === undefined || Object.is(value, this.current[key])) continue;
      next ??= { ...this.current };
      next[key] = value as S[keyof S];
      this.unannounced.add(key);
    }
    if (!next) return;
    this.current = next;
    if (!this.announcing) this.announce();
  }

  /**
   * Calls the listener after every change to one of `keys` (every change when null). Returns the
   * unsubscribe function.
   */
  subscribe(keys: readonly (keyof S)[] | null, listener: Listener<S>): () => void {
    const subscription: Subscription<S> = { keys: keys ? new Set(keys) : null, listener };
    this.subscriptions.add(subscription);
    return () => this.subscriptions.delete(subscription);
  }

  private announce(): void {
    this.announcing = true;
    try {
      while (this.unannounced.size > 0) {
        const changed = this.unannounced;
        this.unannounced = new Set();
        for (const { keys, listener } of [...this.subscriptions]) {
          if (keys && !overlaps(keys, changed)) continue;
          listener(this.current, changed);
        }
      }
    } finally {
      this.announcing = false;
    }
  }
}

function overlaps<K>(a: ReadonlySet<K>, b: ReadonlySet<K>): boolean {
  for (const key of b) if (a.has(key)) return true;
  return false;
}
