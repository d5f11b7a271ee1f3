// The page's side of `run --live`: listens to the server's events (a newer view model, or the run
// ended), fetches the newest data when it has finished with the last (so a slow page skips
// versions instead of queueing them), and hands each new Trace to the actions, which map the
// view state over to it and, while following, move the window to the run's end.
import { LIVE_EVENTS_PATH, LIVE_HEADER, LIVE_SNAPSHOT_PATH } from '../contract/viewer-wire.js';
import { fetchServedData } from './load-data.js';
import type { Store } from './store.js';
import { Trace } from './trace.js';
import type { ViewActions } from './view-actions.js';
import type { ViewState } from './view-state.js';

export class LiveFeed {
  private latest: number;
  private shown: number;
  private fetching = false;
  private source: EventSource | null;
  /** Updates applied (for tests and the benchmark). */
  updates = 0;

  constructor(
    private readonly store: Store<ViewState>,
    private readonly actions: ViewActions,
    version: number,
  ) {
    this.latest = version;
    this.shown = version;
    this.source = new EventSource(LIVE_EVENTS_PATH);
    this.source.addEventListener('version', (event) => {
      const { version: next, ended } = JSON.parse((event as MessageEvent<string>).data) as { version: number; ended: boolean };
      if (ended) this.store.set({ live: 'ended' });
      if (next > this.latest) this.latest = next;
      void this.pull();
    });
    // The Snapshot button asks (view-actions.ts); this sends it and says how it went.
    store.subscribe(['snapshot'], (state) => {
      if (state.snapshot?.state === 'pending') void this.snapshot();
    });
  }

  private async snapshot(): Promise<void> {
    try {
      const response = await fetch(LIVE_SNAPSHOT_PATH, { method: 'POST', headers: { [LIVE_HEADER]: 'snapshot' } });
      const body = (await response.json()) as { path?: string; error?: string };
      this.store.set({ snapshot: response.ok && body.path ? { state: 'done', text: body.path } : { state: 'failed', text: body.error ?? `HTTP ${response.status}` } });
    } catch (error) {
      this.store.set({ snapshot: { state: 'failed', text: (error as Error).message } });
    }
  }

  /** Fetches the newest data unless a fetch is under way (it pulls again when done, if newer came meanwhile). */
  private async pull(): Promise<void> {
    if (this.fetching || this.latest <= this.shown) return;
    this.fetching = true;
    try {
      const { bytes, liveVersion } = await fetchServedData();
      const trace = new Trace(bytes);
      this.shown = Math.max(this.shown + 1, liveVersion ?? this.latest);
      this.latest = Math.max(this.latest, this.shown);
      this.actions.replaceTrace(trace);
      this.updates++;
      document.body.dataset.liveUpdates = String(this.updates);
      if (this.store.state.live === 'ended' && this.source) {
        this.source.close();
        this.source = null;
      }
    } catch {
      // The server went away (Ctrl-C) or answered oddly: keep what is shown.
    } finally {
      this.fetching = false;
    }
    if (this.latest > this.shown) void this.pull();
  }
}
