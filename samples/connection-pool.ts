// Seed 000 (advanced path), Exercise 8: Async Context Manager & Resources (connection pool).
// A connection pool written from scratch, in front of a small line-protocol "database" served
// over real TCP on 127.0.0.1 (opening a connection costs a 0.1 s handshake, a query 0.05 s):
//   - size limit (max 10 connections) with a FIFO of waiting callers;
//   - execute() borrows a connection in try/finally, the async-context-manager of the seed;
//   - recycling: a connection is closed after 60 uses and replaced on demand;
//   - health checks: a connection idle for a while is pinged before it is handed out, and
//     dropped if it was closed or does not answer;
//   - acquire timeout with AbortSignal.timeout.
// Phase 1 runs 1000 concurrent operations through 10 connections (about 1000 x 0.05 / 10 = 5 s).
// Timeline: 1000 execute tasks start at once but only 10 queries are ever in flight (ten busy
// lanes, with a short handshake gap whenever a connection is recycled); then 20 more operations
// after the server broke 3 idle connections; then one caller that gives up after 0.5 s.
import { createConnection, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleepMs } from 'node:timers/promises';
import { scaled, sleep } from './lib/env.js';
import { runMain, stopwatch } from './lib/course.js';

const HANDSHAKE_SECONDS = 0.1;
const QUERY_SECONDS = 0.05;

// ---------------------------------------------------------------- the database server
class FakeDatabaseServer {
  private readonly server = createServer((socket) => this.handle(socket));
  private readonly sockets = new Set<Socket>();
  private readonly busy = new WeakSet<Socket>();
  private readonly hung = new WeakSet<Socket>();
  port = 0;
  inFlight = 0;
  peakInFlight = 0;

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  get openConnections(): number {
    return this.sockets.size;
  }

  /** Breaks idle connections: closes `closeCount` of them and silently stops answering `hangCount`. */
  breakIdleConnections(closeCount: number, hangCount: number): void {
    const idle = [...this.sockets].filter((s) => !this.busy.has(s) && !this.hung.has(s));
    for (const socket of idle.slice(0, closeCount)) socket.destroy();
    for (const socket of idle.slice(closeCount, closeCount + hangCount)) this.hung.add(socket);
  }

  close(): Promise<void> {
    for (const socket of this.sockets) if (this.hung.has(socket)) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setEncoding('utf8');
    let buffered = '';
    let queue: Promise<void> = sleep(HANDSHAKE_SECONDS).then(() => {
      socket.write('HELLO\n');
    });
    socket.on('data', (data: string) => {
      buffered += data;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        queue = queue.then(() => this.answer(socket, line));
      }
    });
  }

  private async answer(socket: Socket, line: string): Promise<void> {
    if (this.hung.has(socket) || socket.destroyed) return;
    if (line === 'PING') {
      socket.write('PONG\n');
      return;
    }
    this.busy.add(socket);
    this.peakInFlight = Math.max(this.peakInFlight, ++this.inFlight);
    await sleep(QUERY_SECONDS);
    this.inFlight--;
    this.busy.delete(socket);
    if (!socket.destroyed) socket.write(`OK ${line.length}\n`);
  }
}

// ---------------------------------------------------------------- a client connection
let nextConnectionId = 1;

class Connection {
  readonly id = nextConnectionId++;
  uses = 0;
  lastUsed = performance.now();
  private alive = true;
  private buffered = '';
  private pending: { resolve: (line: string) => void; reject: (e: unknown) => void } | undefined;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (data: string) => this.onData(data));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.alive = false;
      this.pending?.reject(new Error(`connection ${this.id} closed`));
      this.pending = undefined;
    });
  }

  static async open(port: number, signal: AbortSignal): Promise<Connection> {
    const socket = createConnection({ port, host: '127.0.0.1', signal });
    const connection = new Connection(socket);
    try {
      const greeting = await connection.nextLine(signal);
      if (greeting !== 'HELLO') throw new Error(`unexpected greeting ${greeting}`);
    } catch (error) {
      connection.close();
      throw error;
    }
    return connection;
  }

  get isAlive(): boolean {
    return this.alive && !this.socket.destroyed;
  }

  async query(sql: string, signal?: AbortSignal): Promise<string> {
    this.socket.write(`${sql}\n`);
    return this.nextLine(signal);
  }

  /** PING with a deadline; false when the connection is closed or silent. */
  async ping(timeoutSeconds: number): Promise<boolean> {
    if (!this.isAlive) return false;
    try {
      return (await this.query('PING', AbortSignal.timeout(scaled(timeoutSeconds)))) === 'PONG';
    } catch {
      return false;
    }
  }

  close(): void {
    this.alive = false;
    this.socket.destroy();
  }

  private nextLine(signal?: AbortSignal): Promise<string> {
    return new Promise((resolve, reject) => {
      if (!this.isAlive) return reject(new Error(`connection ${this.id} closed`));
      const onAbort = () => {
        this.pending = undefined;
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending = {
        resolve: (line) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(line);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
    });
  }

  private onData(data: string): void {
    this.buffered += data;
    let newline: number;
    while ((newline = this.buffered.indexOf('\n')) >= 0) {
      const line = this.buffered.slice(0, newline);
      this.buffered = this.buffered.slice(newline + 1);
      const pending = this.pending;
      this.pending = undefined;
      pending?.resolve(line);
    }
  }
}

// ---------------------------------------------------------------- the pool
interface PoolOptions {
  port: number;
  maxSize: number;
  /** Recycle a connection after this many uses. */
  maxUses: number;
  /** Ping a connection that sat idle longer than this (course seconds) before handing it out. */
  checkAfterIdle: number;
  pingTimeout: number;
  /** How long acquire() waits for a free connection (course seconds). */
  acquireTimeout: number;
}

class AsyncConnectionPool {
  private readonly idle: Connection[] = [];
  private readonly waiters: Array<(handed: Connection | null) => void> = [];
  private size = 0; // open or opening
  private inUse = 0;
  readonly stats = { opened: 0, closed: 0, recycled: 0, healthPassed: 0, healthFailed: 0, peakInUse: 0 };

  constructor(private readonly options: PoolOptions) {}

  async acquire(signal = AbortSignal.timeout(scaled(this.options.acquireTimeout))): Promise<Connection> {
    for (;;) {
      signal.throwIfAborted();
      const candidate = this.idle.pop();
      if (candidate) {
        if (await this.healthy(candidate)) return this.checkout(candidate);
        this.destroy(candidate);
        continue;
      }
      if (this.size < this.options.maxSize) {
        this.size++;
        try {
          const connection = await Connection.open(this.options.port, signal);
          this.stats.opened++;
          return this.checkout(connection);
        } catch (error) {
          this.size--;
          this.wakeOne();
          throw error;
        }
      }
      const handed = await this.waitForTurn(signal);
      if (handed) return this.checkout(handed);
    }
  }

  release(connection: Connection): void {
    this.inUse--;
    connection.uses++;
    connection.lastUsed = performance.now();
    if (!connection.isAlive || connection.uses >= this.options.maxUses) {
      if (connection.isAlive) this.stats.recycled++;
      this.destroy(connection);
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter) waiter(connection);
    else this.idle.push(connection);
  }

  /** Borrow a connection for one query: `async with pool.connection() as conn` in the seed. */
  async execute(sql: string): Promise<string> {
    const connection = await this.acquire();
    try {
      return await connection.query(sql);
    } finally {
      this.release(connection);
    }
  }

  get openConnections(): number {
    return this.size;
  }

  async close(): Promise<void> {
    for (const connection of this.idle.splice(0)) this.destroy(connection);
  }

  private checkout(connection: Connection): Connection {
    this.inUse++;
    this.stats.peakInUse = Math.max(this.stats.peakInUse, this.inUse);
    return connection;
  }

  private async healthy(connection: Connection): Promise<boolean> {
    const idleMs = performance.now() - connection.lastUsed;
    if (connection.isAlive && idleMs < scaled(this.options.checkAfterIdle)) return true;
    const ok = await connection.ping(this.options.pingTimeout);
    if (ok) this.stats.healthPassed++;
    else this.stats.healthFailed++;
    return ok;
  }

  private destroy(connection: Connection): void {
    connection.close();
    this.size--;
    this.stats.closed++;
    this.wakeOne(); // a slot is free: a waiter may open a new connection
  }

  private wakeOne(): void {
    this.waiters.shift()?.(null);
  }

  private waitForTurn(signal: AbortSignal): Promise<Connection | null> {
    return new Promise((resolve, reject) => {
      const waiter = (handed: Connection | null) => {
        signal.removeEventListener('abort', onAbort);
        resolve(handed);
      };
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }
}

// ---------------------------------------------------------------- the demo
async function main(): Promise<void> {
  const db = new FakeDatabaseServer();
  await db.start();
  const options: PoolOptions = {
    port: db.port,
    maxSize: 10,
    maxUses: 60,
    checkAfterIdle: 0.5,
    pingTimeout: 0.2,
    acquireTimeout: 30,
  };
  const pool = new AsyncConnectionPool(options);
  try {
    console.log('=== Async Connection Pool ===');
    console.log(`Database on 127.0.0.1 (handshake ${HANDSHAKE_SECONDS} s, query ${QUERY_SECONDS} s)`);

    console.log('\n--- Phase 1: 1000 concurrent operations, pool of 10 ---');
    let elapsed = stopwatch();
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => pool.execute(`SELECT * FROM orders WHERE id = ${i}`)),
    );
    const phase1 = elapsed();
    console.log(`Completed: ${results.filter((r) => r.startsWith('OK')).length}/1000`);
    console.log(`Time: ${phase1.toFixed(2)} seconds (queries alone: ${((1000 * QUERY_SECONDS) / options.maxSize).toFixed(2)})`);
    console.log(`Peak connections in use: ${pool.stats.peakInUse}/${options.maxSize}`);
    console.log(`Peak queries in flight at the server: ${db.peakInFlight}`);
    console.log(`Connections opened: ${pool.stats.opened}, recycled after ${options.maxUses} uses: ${pool.stats.recycled}, open now: ${pool.openConnections}`);

    console.log('\n--- Phase 2: the server breaks 3 idle connections (2 closed, 1 silent) ---');
    await sleep(1); // the pool sits idle, so every connection is pinged before reuse
    db.breakIdleConnections(2, 1);
    const before = { ...pool.stats };
    elapsed = stopwatch();
    const phase2 = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => pool.execute(`SELECT ${i}`)));
    console.log(`Health checks: ${pool.stats.healthPassed - before.healthPassed} passed, ${pool.stats.healthFailed - before.healthFailed} failed (replaced)`);
    console.log(`Operations: ${phase2.filter((r) => r.status === 'fulfilled').length}/20 succeeded in ${elapsed().toFixed(2)} seconds`);

    console.log('\n--- Phase 3: acquire timeout ---');
    const tiny = new AsyncConnectionPool({ ...options, maxSize: 1, acquireTimeout: 0.5 });
    const held = await tiny.acquire();
    elapsed = stopwatch();
    try {
      await tiny.execute('SELECT 1');
      console.log('Second caller got a connection (unexpected)');
    } catch (error) {
      const name = error instanceof Error ? error.name : String(error);
      console.log(`Second caller gave up after ${elapsed().toFixed(2)} seconds (${name})`);
    }
    tiny.release(held);
    await tiny.close();
  } finally {
    await pool.close();
    console.log(`\nPool closed: ${pool.openConnections} connections open`);
    await sleepMs(5);
    await db.close();
    console.log(`Database server closed: ${db.openConnections} connections left`);
  }
}

runMain(main);
