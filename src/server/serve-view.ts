// Serving one trace's timeline: build the view model, listen on 127.0.0.1, print the URL on its
// own line, open a browser (unless told not to), and keep serving until Ctrl-C.
import type { TraceModel } from '../model/types.js';
import { loadModel } from '../trace/load-model.js';
import { encodeViewModel } from '../view-model/binary-format.js';
import { buildViewModel } from '../view-model/build-view-model.js';
import { createViewerApp } from './http-app.js';
import { listenLocal, type Listening } from './listen.js';
import { openBrowser } from './open-browser.js';
import { loadViewerAssets } from './viewer-assets.js';

export interface ServeOptions {
  port?: number;
  /** Open a browser (default true). */
  open?: boolean;
  /** Where the URL line goes (default stdout). */
  urlStream?: NodeJS.WritableStream;
}

/** Starts the server for a model (or the trace at a path) and returns once it listens. */
export async function startViewerServer(trace: string | TraceModel, port = 0): Promise<Listening> {
  const model = typeof trace === 'string' ? loadModel(trace) : trace;
  const assets = loadViewerAssets();
  const data = encodeViewModel(buildViewModel(model));
  let actualPort = port;
  const app = createViewerApp({ assets, data: () => data, port: () => actualPort });
  const listening = await listenLocal(app, port);
  actualPort = listening.port;
  return listening;
}

/** Serves until SIGINT or SIGTERM. */
export async function serveUntilInterrupted(trace: string | TraceModel, options: ServeOptions = {}): Promise<void> {
  const listening = await startViewerServer(trace, options.port ?? 0);
  // Ctrl-C is handled before the URL is out: whoever reads it may interrupt at once.
  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void listening.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  process.stderr.write('async-prof: serving the timeline on 127.0.0.1 only; press Ctrl-C to stop\n');
  (options.urlStream ?? process.stdout).write(`${listening.url}\n`);
  if (options.open !== false) {
    void openBrowser(listening.url).then((opened) => {
      if (!opened) process.stderr.write('async-prof: could not open a browser here; open the URL above in one\n');
    });
  }
  await stopped;
}
