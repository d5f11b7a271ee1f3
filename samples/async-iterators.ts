// Seed 002 (lab) Exercise 5 "Async Iterators" (data streamer, async range, file reader, result-set iterator,
// iterator pipeline); seed 003 (practice) Exercise 4 (merging sensor streams, batch processor); seed 004 (AsyncIO
// guide) §8 `async for` (AsyncCounter) and its challenge 2 (JSON objects parsed from a socket's lines).
//
// Timeline: short sleeps between items of each stream; in part 3 three sensor generators run side by side (their
// 0.05 s sleeps interleave, 0.5 s in all); in part 4 a producer adds an item every 0.1 s while the batch processor
// waits on the queue — batches close when full and the last one on a 0.5 s timeout; part 5 is a real loopback TCP
// socket whose lines arrive split across chunks.
import { createServer, connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { random, scaled, sleep } from './lib/env.js';
import { isAbortError, pyRepr } from './lib/b-async.js';
import { AsyncQueue } from './lib/b-queue.js';

// --- 004 §8: a hand-written async iterator (__aiter__ / __anext__) ---------------------------------------------
class AsyncCounter implements AsyncIterable<number> {
  constructor(readonly n: number) {}
  [Symbol.asyncIterator](): AsyncIterator<number> {
    let i = 0;
    const n = this.n;
    return {
      async next(): Promise<IteratorResult<number>> {
        if (i >= n) return { done: true, value: undefined }; // StopAsyncIteration
        await sleep(0.2);
        return { done: false, value: i++ };
      },
    };
  }
}

// --- 002 Exercise 5 --------------------------------------------------------------------------------------------------
class AsyncDataStreamer implements AsyncIterable<string> {
  constructor(readonly chunks: string[]) {}
  async *[Symbol.asyncIterator](): AsyncGenerator<string> {
    for (const chunk of this.chunks) {
      await sleep(0.1); // the next chunk arrives over the network
      yield chunk;
    }
  }
}

async function* asyncRange(start: number, end: number, step = 1): AsyncGenerator<number> {
  for (let n = start; n < end; n += step) {
    await sleep(0.05);
    yield n;
  }
}

/** Reads a file line by line, holding only one 64-byte chunk at a time; the file is closed however the loop ends. */
async function* asyncFileReader(filename: string): AsyncGenerator<string> {
  const file = await open(filename, 'r'); // throws ENOENT if missing
  try {
    let rest = '';
    const buffer = Buffer.alloc(64);
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      rest += buffer.toString('utf8', 0, bytesRead);
      let nl: number;
      while ((nl = rest.indexOf('\n')) >= 0) {
        yield rest.slice(0, nl + 1);
        rest = rest.slice(nl + 1);
      }
    }
    if (rest) yield rest;
  } finally {
    await file.close();
  }
}

/** A result set fetched in pages of `pageSize` rows (like a server-side cursor), iterated row by row. */
class AsyncResultSet implements AsyncIterable<{ id: number; name: string }> {
  pagesFetched = 0;
  constructor(
    readonly rows: { id: number; name: string }[],
    readonly pageSize: number,
  ) {}
  async #fetchPage(offset: number): Promise<{ id: number; name: string }[]> {
    await sleep(0.1); // round trip to the database
    this.pagesFetched++;
    return this.rows.slice(offset, offset + this.pageSize);
  }
  async *[Symbol.asyncIterator](): AsyncGenerator<{ id: number; name: string }> {
    for (let offset = 0; ; offset += this.pageSize) {
      const page = await this.#fetchPage(offset);
      yield* page;
      if (page.length < this.pageSize) return;
    }
  }
}

// A pipeline of async generators: each stage pulls from the previous one on demand.
async function* squares(source: AsyncIterable<number>): AsyncGenerator<number> {
  for await (const n of source) yield n * n;
}
async function* evens(source: AsyncIterable<number>): AsyncGenerator<number> {
  for await (const n of source) if (n % 2 === 0) yield n;
}

// --- 003 Exercise 4: merged sensor streams and a batch processor ---------------------------------------------------
interface DataPoint {
  timestamp: number;
  value: number;
  source: string;
}

const rand = random();

async function* generateData(source: string, count = 10): AsyncGenerator<DataPoint> {
  for (let i = 0; i < count; i++) {
    yield { timestamp: Date.now(), value: rand() * 100, source };
    await sleep(0.05); // data arrival
  }
}

/** Yields from all iterables as items arrive, whichever is first (the seed's queue-per-source merge). */
async function* merge<T>(...iterables: AsyncIterable<T>[]): AsyncGenerator<T> {
  const iterators = iterables.map((it) => it[Symbol.asyncIterator]());
  const pending = new Map<number, Promise<{ i: number; r: IteratorResult<T> }>>();
  const pull = (i: number): void => {
    pending.set(i, iterators[i]!.next().then((r) => ({ i, r })));
  };
  iterators.forEach((_, i) => pull(i));
  try {
    while (pending.size > 0) {
      const { i, r } = await Promise.race(pending.values());
      if (r.done) {
        pending.delete(i);
      } else {
        pull(i);
        yield r.value;
      }
    }
  } finally {
    // if the consumer stops early, close the sources still open
    await Promise.all([...pending.keys()].map((i) => iterators[i]!.return?.()));
  }
}

class AsyncBatchProcessor {
  readonly queue = new AsyncQueue<number>();
  constructor(
    readonly batchSize = 100,
    readonly timeout = 1.0,
  ) {}
  async processBatch(batch: number[]): Promise<number[]> {
    await sleep(0.01);
    return batch.map((item) => item * 2);
  }
  /** Yields processed batches: when full, when no item arrived within `timeout`, and the rest when the queue closes. */
  async *run(): AsyncGenerator<{ batch: number[]; reason: string }> {
    let batch: number[] = [];
    for (;;) {
      let reason: string | undefined;
      try {
        batch.push(await this.queue.get(AbortSignal.timeout(scaled(this.timeout))));
        if (batch.length >= this.batchSize) reason = 'full';
      } catch (error) {
        if (isAbortError(error)) reason = 'timeout';
        else reason = 'closed'; // QueueClosedError: the producer is done
      }
      if (reason && batch.length > 0) {
        yield { batch: await this.processBatch(batch), reason };
        batch = [];
      }
      if (reason === 'closed') return;
    }
  }
}

// --- 004 §8 challenge 2: JSON objects from a stream's lines ----------------------------------------------------------
async function* jsonLines(socket: Socket): AsyncGenerator<unknown> {
  let buffered = '';
  for await (const chunk of socket) {
    buffered += (chunk as Buffer).toString('utf8');
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (line) yield JSON.parse(line);
    }
  }
  if (buffered.trim()) yield JSON.parse(buffered);
}

async function main(): Promise<void> {
  console.log('== 1. AsyncCounter (004 §8) ==');
  for await (const num of new AsyncCounter(3)) console.log('Got', num);

  console.log('\n== 2. Lab exercise 5 ==');
  for await (const chunk of new AsyncDataStreamer(['chunk1', 'chunk2', 'chunk3'])) console.log(`Received: ${chunk}`);
  for await (const num of asyncRange(1, 5, 1)) console.log(`Number: ${num}`);
  const dir = await mkdtemp(join(tmpdir(), 'async-prof-iter-'));
  try {
    const sample = join(dir, 'sample.txt');
    await writeFile(sample, 'first line of the sample file\nsecond line, a little longer than the first one\nthird and last line\n');
    for await (const line of asyncFileReader(sample)) console.log(`Line: ${line.trim()}`);
    try {
      for await (const line of asyncFileReader(join(dir, 'missing.txt'))) console.log(`Line: ${line.trim()}`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      console.log('Sample file not found');
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const resultSet = new AsyncResultSet(
    ['Alice', 'Bob', 'Carol', 'Dave', 'Erin', 'Frank', 'Grace'].map((name, i) => ({ id: i + 1, name })),
    3,
  );
  const names: string[] = [];
  for await (const row of resultSet) names.push(`${row.id}:${row.name}`);
  console.log(`Result set: ${names.join(', ')} (${resultSet.pagesFetched} pages)`);
  const piped: number[] = [];
  for await (const n of evens(squares(asyncRange(1, 11)))) piped.push(n);
  console.log(`Pipeline output: ${pyRepr(piped)}`);

  console.log('\n' + '='.repeat(60));
  console.log('ASYNC ITERATORS AND GENERATORS DEMO');
  console.log('='.repeat(60));
  console.log('\n1. Async Data Stream');
  console.log('-'.repeat(40));
  let points = 0;
  for await (const p of merge(...['Sensor A', 'Sensor B', 'Sensor C'].map((s) => generateData(s)))) {
    points++;
    console.log(`  ${p.source}: ${p.value.toFixed(2)}`);
    if (p.value > 90) console.log('    ⚠️ High value detected!');
  }
  console.log(`  (${points} data points from 3 sources)`);

  console.log('\n2. Batch Processing');
  console.log('-'.repeat(40));
  const processor = new AsyncBatchProcessor(5, 0.5);
  const producer = (async () => {
    for (let i = 0; i < 12; i++) {
      await processor.queue.put(i);
      await sleep(0.1);
    }
    await sleep(1.0); // quiet period: the last partial batch is flushed by the timeout
    processor.queue.close();
  })();
  for await (const { batch, reason } of processor.run()) {
    console.log(`  Processed batch: ${pyRepr(batch)} (${reason})`);
  }
  await producer;

  console.log('\n== 3. JSON objects from a socket (004 §8 challenge 2) ==');
  const server = createServer(async (sock) => {
    // Send three objects in awkward pieces: lines are split across writes.
    const text = ['{"id": 1, "event": "login"}', '{"id": 2, "event": "click", "x": 10}', '{"id": 3, "event": "logout"}']
      .map((l) => l + '\n')
      .join('');
    for (let i = 0; i < text.length; i += 17) {
      sock.write(text.slice(i, i + 17));
      await sleep(0.01);
    }
    sock.end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const socket = connect(port, '127.0.0.1');
  for await (const obj of jsonLines(socket)) console.log('Parsed:', JSON.stringify(obj));
  server.close();
  await once(server, 'close');
}

await main();
