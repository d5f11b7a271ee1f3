// Sample (issue 17): an express server with three routes, for `run --live`, `--keep` and the
// per-handler table. /fast answers at once; /slow awaits a slow dependency (a 40 ms "database");
// /block holds the event loop for 60 ms of synchronous work (and 60 ms of CPU time, so a busy
// machine does not make it look like less), and every request waiting behind it with it. Listens on 127.0.0.1 (PORT, default a free port) and prints its URL.
// Drive it with samples/express-server/load.ts.
import express from 'express';
import { setTimeout as sleep } from 'node:timers/promises';

const app = express();

async function fastRoute(_req: express.Request, res: express.Response): Promise<void> {
  res.json({ ok: true });
}

async function queryDatabase(id: number): Promise<{ id: number; name: string }> {
  await sleep(40);
  return { id, name: `user ${id}` };
}

async function slowRoute(req: express.Request, res: express.Response): Promise<void> {
  const user = await queryDatabase(Number(req.query.id ?? 1));
  res.json(user);
}

async function blockingRoute(_req: express.Request, res: express.Response): Promise<void> {
  const report = renderReport(60);
  res.json({ size: report.length });
}

/** Synchronous work: the loop can do nothing else meanwhile. */
function renderReport(ms: number): string {
  const started = process.cpuUsage();
  const until = performance.now() + ms;
  let text = '';
  // ms by the wall clock and of CPU time (the process's, so threads of the runtime count too).
  while (performance.now() < until || cpuSince(started) < ms) {
    for (let i = 0; i < 20_000; i++) text = String(Math.sqrt(text.length + i));
  }
  return text;
}

function cpuSince(started: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}

app.get('/fast', fastRoute);
app.get('/slow', slowRoute);
app.get('/block', blockingRoute);

const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : ''}`);
});

// A bounded run when asked (tests, the benchmark): stop after RUN_SECONDS.
if (process.env.RUN_SECONDS) setTimeout(() => server.close(), Number(process.env.RUN_SECONDS) * 1000).unref();
