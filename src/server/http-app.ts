// The viewer's HTTP app: exactly four resources (the page, its script, its stylesheet, the trace's
// view model) and 404 for everything else, so nothing but them can ever be read through it (no
// static directory, so no listing and no path traversal). Requests must name this machine as Host
// (a page on another site cannot reach the server through DNS rebinding).
import express, { type NextFunction, type Request, type Response } from 'express';
import { SERVED_CSP, servedPage } from './viewer-page.js';
import type { ViewerAssets } from './viewer-assets.js';
import { LIVE_EVENTS_ROUTE, LIVE_HEADER, LIVE_SNAPSHOT_HEADER, LIVE_SNAPSHOT_ROUTE, VIEW_DATA_ROUTE } from '../../contract/viewer-wire.js';
import type { LiveFeed } from './live-feed.js';

export interface ViewerAppOptions {
  assets: ViewerAssets;
  /** The encoded view model, as chunks written in order (a function: a live server replaces it as the run grows). */
  data: () => readonly Uint8Array[];
  /** `run --live`: the feed that tells pages of newer data (LIVE_EVENTS_ROUTE). */
  live?: LiveFeed;
  /** `run --live --keep`: writes the flight recorder's window as a trace; its path (LIVE_SNAPSHOT_ROUTE). */
  snapshot?: () => string;
  /** The port the server listens on (for the Host check), set once known. */
  port: () => number;
}

const LOCAL_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

export function createViewerApp(options: ViewerAppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('strict routing', true);
  app.set('case sensitive routing', true);
  const page = servedPage(options.assets.html);

  app.use((req: Request, res: Response, next: NextFunction) => {
    res.set({
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'X-Frame-Options': 'DENY',
    });
    const host = (req.headers.host ?? '').toLowerCase();
    const port = options.port();
    if (!LOCAL_HOSTS.some((name) => host === `${name}:${port}` || host === name)) {
      res.status(403).type('text/plain').send('Forbidden\n');
      return;
    }
    next();
  });

  app.get('/', (_req, res) => {
    res.set('Content-Security-Policy', SERVED_CSP).type('text/html; charset=utf-8').send(page);
  });
  app.get('/app.js', (_req, res) => {
    res.type('text/javascript; charset=utf-8').send(options.assets.script);
  });
  app.get('/style.css', (_req, res) => {
    res.type('text/css; charset=utf-8').send(options.assets.style);
  });
  app.get(VIEW_DATA_ROUTE, (req, res) => {
    // The data of this moment: a live update meanwhile does not change what this response sends.
    const data = options.data();
    let dataLength = 0;
    for (const chunk of data) dataLength += chunk.byteLength;
    res.type('application/octet-stream').set('Content-Length', String(dataLength));
    if (options.live) res.set(LIVE_HEADER, String(options.live.version));
    if (options.snapshot) res.set(LIVE_SNAPSHOT_HEADER, '1');
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    // Written chunk by chunk: the columns are views, never copied into one buffer.
    let i = 0;
    const writeMore = () => {
      while (i < data.length) {
        const ok = res.write(data[i++]);
        if (!ok) {
          res.once('drain', writeMore);
          return;
        }
      }
      res.end();
    };
    writeMore();
  });

  const live = options.live;
  if (live) app.get(LIVE_EVENTS_ROUTE, (req, res) => live.attach(req, res));
  const snapshot = options.snapshot;
  if (snapshot) {
    // The one request that changes something (a file written): only from the page itself. A page
    // on another site can neither send its Origin as ours nor add our header without a preflight,
    // which this server never grants.
    app.post(LIVE_SNAPSHOT_ROUTE, (req, res) => {
      const port = options.port();
      const origin = req.headers.origin ?? '';
      if (req.get(LIVE_HEADER) !== 'snapshot' || !LOCAL_HOSTS.some((name) => origin === `http://${name}:${port}`)) {
        res.status(403).type('text/plain').send('Forbidden\n');
        return;
      }
      try {
        res.json({ path: snapshot() });
      } catch (error) {
        res.status(500).json({ error: String((error as Error).message).split('\n')[0] });
      }
    });
  }

  app.use((_req: Request, res: Response) => {
    res.status(404).type('text/plain').send('Not found\n');
  });
  // Malformed requests (bad URL encoding, ...) get the same answer as anything unknown.
  app.use((_error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    res.status(404).type('text/plain').send('Not found\n');
  });
  return app;
}
