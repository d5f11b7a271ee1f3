// Counters for the benchmark (bench/viewer.mjs) and the page's "ready" mark: how long each render
// took, how many there were, and a callback for the first one. Nothing here changes what is drawn.

/** Renders kept for the benchmark's percentiles. */
const KEPT = 1000;

export class RenderStats {
  private readonly durations: number[] = [];
  private count = 0;
  private firstListeners: (() => void)[] = [];

  /** Durations of the recent renders (ms), oldest first. */
  get frameTimes(): readonly number[] {
    return this.durations;
  }

  get renders(): number {
    return this.count;
  }

  /** Calls back after the first render (at once when it happened already). */
  onFirstRender(callback: () => void): void {
    if (this.count > 0) callback();
    else this.firstListeners.push(callback);
  }

  record(durationMs: number): void {
    this.count++;
    this.durations.push(durationMs);
    if (this.durations.length > KEPT) this.durations.splice(0, this.durations.length - KEPT);
    if (this.firstListeners.length > 0) {
      const listeners = this.firstListeners;
      this.firstListeners = [];
      for (const listener of listeners) listener();
    }
  }
}
