// `run --live`: the timeline served while the script runs. The trace file is written as the
// script goes; every LIVE_REFRESH_MS this reads it again (when it grew), builds the view model and
// tells the pages (live-feed.ts), which fetch it when they are ready. When the script has ended,
// the complete run replaces it and the server stays up until Ctrl-C, like `view`.
//
// Each refresh reads the whole trace, but models, analyses and sends only the last few minutes in
// full, older time as aggregates (live-refresh.ts); with --keep the trace itself is the window.
import { rmSync, statSync } from 'node:fs';
import { setPriority } from 'node:os';
import type { TraceModel } from '../model/types.js';
import { encodeViewModel } from '../view-model/binary-format.js';
import { buildViewModel } from '../view-model/build-view-model.js';
import { createViewerApp } from './http-app.js';
import { listenLocal, type Listening } from './listen.js';
import { LiveFeed } from './live-feed.js';
import { liveRefresh } from './live-refresh.js';
import { openBrowser } from './open-browser.js';
import { loadViewerAssets } from './viewer-assets.js';

/** How often the trace is read again while the script runs (new tasks show within about this, plus the build). */
export const LIVE_REFRESH_MS = 400;
/**
 * And at least this many times as long as the last refresh took: the CLI then uses at most about
 * a fifth of a core for the page however long the run (the latency grows instead), and leaves the
 * rest to the program.
 */
const REFRESH_COST_FACTOR = 4;
/** The CLI's scheduling priority while it serves a live page: the profiled program goes first. */
const LIVE_NICE = 5;

const RUNNING = 'the script is still running';

export interface LiveServerOptions {
  port?: number;
  open?: boolean;
  /** Where the URL line goes. */
  urlStream: NodeJS.WritableStream;
  /**
   * With --keep the trace file holds only the newest segment: this writes the whole window to a
   * path (flight-recorder.ts), which each refresh reads instead.
   */
  writeWindow?: (to: string) => void;
  /** With --keep: a snapshot of the window, at a new trace path (the page's Snapshot button); returns it. */
  snapshot?: () => string;
  /** Older time than this before the newest event is shown as aggregates (live-refresh.ts; default LIVE_HORIZON_MS). */
  horizonMs?: number;
}

export class LiveServer {
  readonly feed = new LiveFeed();
  private data: readonly Uint8Array[] = [];
  private size = -1;
  private timer: NodeJS.Timeout | null = null;
  private listening: Promise<Listening> | null = null;
  private ended = false;

  constructor(
    private readonly tracePath: string,
    private readonly options: LiveServerOptions,
  ) {}

  /** Starts reading the trace; the server listens (and the URL is printed) once there is a first model to show. */
  start(): void {
    try {
      // This (the CLI's main thread) only: the script's process was started before, with its own.
      setPriority(LIVE_NICE);
    } catch {
      // Not allowed here: the refreshes are paced all the same.
    }
    const tick = () => {
      if (this.ended) return;
      const started = performance.now();
      // No page yet after the first data: nothing to build for (the server is listening already).
      const wanted = !this.listening || this.feed.size > 0;
      if (wanted && this.refresh() && !this.listening) {
        this.listening = this.listen();
        // A port taken: said now, and again (as the error, exit 2) when the run ends.
        this.listening.catch((error: Error) => process.stderr.write(`async-prof: warning: no live page: ${error.message}\n`));
      }
      this.timer = setTimeout(tick, Math.max(LIVE_REFRESH_MS, REFRESH_COST_FACTOR * (performance.now() - started)));
    };
    tick();
  }

  /** The script has ended: the complete run is served from now on; resolves on Ctrl-C (or SIGTERM). */
  async finish(model: TraceModel): Promise<void> {
    this.ended = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.options.writeWindow) rmSync(`${this.tracePath}.live`, { force: true });
    this.data = encodeViewModel(buildViewModel(model));
    this.listening ??= this.listen();
    const listening = await this.listening;
    this.feed.update(true);
    process.stderr.write('async-prof: the run has ended; the live page shows all of it. Press Ctrl-C to stop serving\n');
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        this.feed.close();
        void listening.close().then(resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
  }

  /** Stops without serving the end (the script could not start). */
  async close(): Promise<void> {
    this.ended = true;
    if (this.timer) clearTimeout(this.timer);
    this.feed.close();
    if (this.listening) await (await this.listening).close();
  }

  /** Reads the trace again if it grew: true when there is data to serve. */
  private refresh(): boolean {
    let size: number;
    try {
      size = statSync(this.tracePath).size;
    } catch {
      return this.data.length > 0;
    }
    // (A rotated trace changes size at every rotation: unchanged means nothing new either way.)
    if (size === this.size) return this.data.length > 0;
    try {
      let path = this.tracePath;
      if (this.options.writeWindow) {
        path = `${this.tracePath}.live`;
        this.options.writeWindow(path);
      }
      // A trace being written ends anywhere: said once here, not as damage on the page.
      this.data = liveRefresh(path, { unfinishedBecause: RUNNING, horizonMs: this.options.horizonMs }).data;
      this.size = size;
      this.feed.update();
    } catch {
      // Not readable yet (no Meta record so far): the next tick tries again.
    }
    return this.data.length > 0;
  }

  private async listen(): Promise<Listening> {
    const assets = loadViewerAssets();
    let port = this.options.port ?? 0;
    const app = createViewerApp({ assets, data: () => this.data, port: () => port, live: this.feed, ...(this.options.snapshot ? { snapshot: this.options.snapshot } : {}) });
    const listening = await listenLocal(app, port);
    port = listening.port;
    process.stderr.write('async-prof: serving the live timeline on 127.0.0.1 only while the script runs\n');
    this.options.urlStream.write(`${listening.url}\n`);
    if (this.options.open !== false) {
      void openBrowser(listening.url).then((opened) => {
        if (!opened) process.stderr.write('async-prof: could not open a browser here; open the URL above in one\n');
      });
    }
    return listening;
  }
}
