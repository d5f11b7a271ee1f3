// Small helpers shared by the course samples (seed 000): timing, number formatting, a local
// HTTP server on loopback, free ports, and a Promise-based `asCompleted`.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { courseSeconds } from './env.js';

/** Starts a stopwatch; the returned function gives the elapsed time in course seconds. */
export function stopwatch(): () => number {
  const started = performance.now();
  return () => courseSeconds(performance.now() - started);
}

/** Formats like Python's `round(x, digits)` printed with str(): 5 -> "5.0", 0.05 -> "0.05". */
export function pyRound(value: number, digits = 2): string {
  const rounded = Number(value.toFixed(digits));
  return Number.isInteger(rounded) ? rounded.toFixed(1) : String(rounded);
}

/** Runs a sample's main function: errors are printed and make the exit code 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}

export interface LocalServer {
  server: Server;
  port: number;
  /** e.g. http://127.0.0.1:40123 */
  baseUrl: string;
  /** Stops listening and closes every open connection (including idle keep-alive ones). */
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** Starts an HTTP server on 127.0.0.1 with an OS-assigned port (an express app is a handler too). */
export async function startLocalServer(handler: Handler): Promise<LocalServer> {
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * Yields the results of `promises` in the order they settle (like asyncio.as_completed).
 * A rejection is thrown at the point where that promise settles.
 */
export async function* asCompleted<T>(promises: Iterable<Promise<T>>): AsyncGenerator<T> {
  const pending = new Map<number, Promise<{ id: number; result: PromiseSettledResult<T> }>>();
  let id = 0;
  for (const promise of promises) {
    const key = id++;
    pending.set(
      key,
      promise.then(
        (value) => ({ id: key, result: { status: 'fulfilled', value } as const }),
        (reason: unknown) => ({ id: key, result: { status: 'rejected', reason } as const }),
      ),
    );
  }
  while (pending.size > 0) {
    const settled = await Promise.race(pending.values());
    pending.delete(settled.id);
    if (settled.result.status === 'rejected') throw settled.result.reason;
    yield settled.result.value;
  }
}

/** Reads a request body as text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  req.setEncoding('utf8');
  for await (const chunk of req) body += chunk as string;
  return body;
}
