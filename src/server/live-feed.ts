// `run --live`: tells the pages that a newer view model is served, as Server-Sent Events. Each
// event is one small line (the data's version, and whether the run has ended); the page fetches
// the data itself when it is ready for it. Back-pressure: a page whose connection has not taken
// the last event yet gets no new one, only the latest when it drains, so a slow page skips to
// the latest state and nothing queues up for it on this side.
import type { Request, Response } from 'express';

/** A comment line now and then keeps proxies and the browser from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

export class LiveFeed {
  version = 0;
  ended = false;
  private readonly clients = new Set<Response>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor() {
    this.heartbeat = setInterval(() => {
      for (const res of this.clients) if (res.writableLength === 0) res.write(':\n\n');
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  attach(req: Request, res: Response): void {
    res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    res.flushHeaders();
    this.clients.add(res);
    req.on('close', () => this.clients.delete(res));
    res.on('drain', () => this.send(res));
    this.send(res);
  }

  /** A newer view model is served (or the run ended): every page hears of it, as soon as its connection can take it. */
  update(ended = false): void {
    this.version++;
    this.ended ||= ended;
    for (const res of this.clients) this.send(res);
  }

  /** Connected pages. */
  get size(): number {
    return this.clients.size;
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private send(res: Response): void {
    // Still holding an earlier event: the page will get the latest when it drains.
    if (res.writableLength > 0 || res.writableEnded) return;
    res.write(`event: version\ndata: ${JSON.stringify({ version: this.version, ended: this.ended })}\n\n`);
  }
}
