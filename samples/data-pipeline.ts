// Seed 000 (advanced path), Exercise 11: Real-time Data Pipeline (async ETL).
// Three sources are read at the same time as async generators: two paginated HTTP APIs on
// 127.0.0.1 (orders, inventory) and a JSON-lines file (clicks, read with readline). Records flow
//   extract (async generators) -> bounded channel (300 records: backpressure) -> batches of 200
//   -> transform (3 batches in parallel, order kept) -> load to two destinations at once
//   (a warehouse HTTP endpoint and a JSON-lines file) -> checkpoint (per-source offsets, written
//   atomically after every loaded batch).
// The first run is killed part-way (an AbortController fires after 1.0 s); the second run resumes
// from the checkpoint. The warehouse then holds every record exactly once. A monitor prints the
// pipeline's health (buffer fill, records loaded) while it runs.
// Timeline: three extract tasks overlap; the clicks file is fast and stalls on the full channel
// (backpressure) while the load stage, the bottleneck, works batch after batch; run 1 stops
// abruptly and run 2 picks up where the checkpoint says.
import { createReadStream } from 'node:fs';
import { mkdtemp, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Channel } from './lib/channel.js';
import { random, scaled, sleep } from './lib/env.js';
import { readBody, runMain, startLocalServer, stopwatch } from './lib/course.js';

const RECORDS_PER_SOURCE = 1000;
const PAGE_SIZE = 100;
const BATCH_SIZE = 200;
const CHANNEL_CAPACITY = 300;
const SOURCES = ['orders', 'inventory', 'clicks'] as const;
type SourceName = (typeof SOURCES)[number];
type Checkpoint = Record<SourceName, number>;

interface DataRecord {
  id: string;
  source: SourceName;
  offset: number;
  value: number;
  [field: string]: unknown;
}

// ---------------------------------------------------------------- the outside world
async function startServices() {
  const rng = random();
  const values = new Map<string, number[]>(
    SOURCES.map((s) => [s, Array.from({ length: RECORDS_PER_SOURCE }, () => Math.round(rng() * 1000) / 10)]),
  );
  const warehouse = new Map<string, DataRecord>();
  let duplicates = 0;
  const server = await startLocalServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const [, kind, name] = url.pathname.split('/');
    if (kind === 'source' && values.has(name!)) {
      const offset = Number(url.searchParams.get('offset'));
      const limit = Number(url.searchParams.get('limit'));
      await sleep(0.05); // API latency per page
      const page = values
        .get(name!)!
        .slice(offset, offset + limit)
        .map((value, i) => ({ id: `${name}-${offset + i}`, source: name, offset: offset + i, value }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(page));
    } else if (kind === 'warehouse' && req.method === 'POST') {
      const batch = JSON.parse(await readBody(req)) as DataRecord[];
      await sleep(0.1); // write latency per batch: the pipeline's bottleneck
      for (const record of batch) {
        if (warehouse.has(record.id)) duplicates++;
        warehouse.set(record.id, record); // idempotent upsert by id
      }
      res.writeHead(204).end();
    } else {
      res.writeHead(404).end();
    }
  });
  return { server, values, warehouse, duplicates: () => duplicates };
}

// ---------------------------------------------------------------- the pipeline
class AsyncDataPipeline {
  loaded = 0;
  readonly stalls: Record<SourceName, number> = { orders: 0, inventory: 0, clicks: 0 };
  private readonly channel = new Channel<DataRecord>(CHANNEL_CAPACITY);

  constructor(
    private readonly baseUrl: string,
    private readonly clicksFile: string,
    private readonly outputFile: string,
    private readonly checkpointFile: string,
    private readonly checkpoint: Checkpoint,
    private readonly signal: AbortSignal,
  ) {}

  /** Extract: an async generator per source, starting at the checkpointed offset. */
  async *extract(source: SourceName): AsyncGenerator<DataRecord> {
    if (source === 'clicks') {
      const lines = createInterface({ input: createReadStream(this.clicksFile), crlfDelay: Infinity });
      let offset = 0;
      try {
        for await (const line of lines) {
          if (offset++ < this.checkpoint.clicks) continue;
          yield JSON.parse(line) as DataRecord;
        }
      } finally {
        lines.close();
      }
      return;
    }
    for (let offset = this.checkpoint[source]; offset < RECORDS_PER_SOURCE; offset += PAGE_SIZE) {
      const response = await fetch(`${this.baseUrl}/source/${source}?offset=${offset}&limit=${PAGE_SIZE}`, {
        signal: this.signal,
      });
      const page = (await response.json()) as DataRecord[];
      yield* page;
    }
  }

  /** Transform one batch: a simulated enrichment lookup, then a pure mapping. */
  async transform(batch: DataRecord[]): Promise<DataRecord[]> {
    await sleep(0.02);
    return batch.map((record) => ({
      ...record,
      valueWithTax: Math.round(record.value * 1.2 * 100) / 100,
      bucket: record.value >= 50 ? 'high' : 'low',
    }));
  }

  /** Load one batch into both destinations at once. */
  async load(batch: DataRecord[]): Promise<void> {
    await Promise.all([
      fetch(`${this.baseUrl}/warehouse`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(batch),
      }).then(async (r) => {
        await r.arrayBuffer();
        if (!r.ok) throw new Error(`warehouse: HTTP ${r.status}`);
      }),
      open(this.outputFile, 'a').then(async (file) => {
        try {
          await file.write(batch.map((r) => JSON.stringify(r)).join('\n') + '\n');
        } finally {
          await file.close();
        }
      }),
    ]);
  }

  private async saveCheckpoint(batch: DataRecord[]): Promise<void> {
    for (const record of batch) {
      this.checkpoint[record.source] = Math.max(this.checkpoint[record.source], record.offset + 1);
    }
    const temporary = `${this.checkpointFile}.tmp`;
    await writeFile(temporary, JSON.stringify(this.checkpoint));
    await rename(temporary, this.checkpointFile); // atomic: a crash never leaves half a checkpoint
  }

  /** Moves one source into the channel; `put` waits while the channel is full (backpressure). */
  private async pump(source: SourceName): Promise<void> {
    try {
      for await (const record of this.extract(source)) {
        if (this.signal.aborted) return;
        const full = this.channel.size >= this.channel.capacity;
        await this.channel.put(record); // waits while the channel is full
        if (full) this.stalls[source]++;
      }
    } catch (error) {
      if (!this.signal.aborted) throw error;
    }
  }

  /** Groups the channel into batches of `size` (a smaller last one). */
  private async *batches(size: number): AsyncGenerator<DataRecord[]> {
    let batch: DataRecord[] = [];
    for await (const record of this.channel) {
      batch.push(record);
      if (batch.length === size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  }

  /** Runs `fn` on up to `concurrency` items at once but yields the results in input order. */
  private async *mapOrdered<A, B>(items: AsyncIterable<A>, concurrency: number, fn: (a: A) => Promise<B>): AsyncGenerator<B> {
    const running: Promise<B>[] = [];
    for await (const item of items) {
      const next = fn(item);
      next.catch(() => undefined); // surfaced when awaited below, in order
      running.push(next);
      if (running.length >= concurrency) yield await running.shift()!;
    }
    while (running.length) yield await running.shift()!;
  }

  get buffered(): number {
    return this.channel.size;
  }

  get peakBuffered(): number {
    return this.channel.peakSize;
  }

  async run(): Promise<'finished' | 'aborted'> {
    const pumps = Promise.all(SOURCES.map((source) => this.pump(source))).finally(() => this.channel.close());
    this.signal.addEventListener('abort', () => this.channel.close(), { once: true });
    for await (const batch of this.mapOrdered(this.batches(BATCH_SIZE), 3, (b) => this.transform(b))) {
      if (this.signal.aborted) break; // killed: this batch and everything buffered are lost
      await this.load(batch);
      await this.saveCheckpoint(batch);
      this.loaded += batch.length;
    }
    await pumps;
    return this.signal.aborted ? 'aborted' : 'finished';
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'pipeline-'));
  const { server, values, warehouse, duplicates } = await startServices();
  const clicksFile = join(dir, 'clicks.jsonl');
  const outputFile = join(dir, 'output.jsonl');
  const checkpointFile = join(dir, 'checkpoint.json');
  await writeFile(
    clicksFile,
    values
      .get('clicks')!
      .map((value, offset) => JSON.stringify({ id: `clicks-${offset}`, source: 'clicks', offset, value }))
      .join('\n') + '\n',
  );
  try {
    await (await fetch(`${server.baseUrl}/source/orders?offset=0&limit=1`)).arrayBuffer(); // load the HTTP client
    console.log('=== Async Data Pipeline ===');
    console.log(
      `Sources: ${SOURCES.join(', ')} (${RECORDS_PER_SOURCE} records each); channel ${CHANNEL_CAPACITY}, batches of ${BATCH_SIZE}`,
    );

    const runOnce = async (label: string, crashAfter?: number) => {
      const checkpoint: Checkpoint = await readFile(checkpointFile, 'utf8').then(
        (text) => JSON.parse(text) as Checkpoint,
        () => ({ orders: 0, inventory: 0, clicks: 0 }),
      );
      console.log(`\n--- ${label} from checkpoint ${JSON.stringify(checkpoint)} ---`);
      const controller = new AbortController();
      const crash = crashAfter === undefined ? undefined : setTimeout(() => controller.abort(), scaled(crashAfter));
      const pipeline = new AsyncDataPipeline(server.baseUrl, clicksFile, outputFile, checkpointFile, checkpoint, controller.signal);
      const monitor = setInterval(() => {
        console.log(`[health] buffered ${pipeline.buffered}/${CHANNEL_CAPACITY}, loaded ${pipeline.loaded}`);
      }, scaled(0.5));
      const elapsed = stopwatch();
      try {
        const outcome = await pipeline.run();
        const seconds = elapsed();
        console.log(
          outcome === 'aborted'
            ? `Killed (simulated crash at ${crashAfter!.toFixed(2)} s): ${pipeline.loaded} records loaded and checkpointed`
            : `Finished after ${seconds.toFixed(2)} seconds: ${pipeline.loaded} records loaded`,
        );
        console.log(`Peak channel fill: ${pipeline.peakBuffered}/${CHANNEL_CAPACITY}; source stalls on the full channel: ${SOURCES.map((s) => `${s} ${pipeline.stalls[s]}`).join(', ')}`);
        if (outcome === 'finished') {
          console.log(`Throughput: ${Math.round((pipeline.loaded / seconds) * 60)} records/minute`);
        }
        return pipeline.loaded;
      } finally {
        clearInterval(monitor);
        clearTimeout(crash);
      }
    };

    const first = await runOnce('Run 1', 1.0);
    const second = await runOnce('Run 2 (resume)');

    const expected = SOURCES.length * RECORDS_PER_SOURCE;
    const outputLines = (await readFile(outputFile, 'utf8')).split('\n').filter(Boolean).length;
    let missing = 0;
    for (const source of SOURCES) {
      for (let offset = 0; offset < RECORDS_PER_SOURCE; offset++) if (!warehouse.has(`${source}-${offset}`)) missing++;
    }
    console.log('\n=== Result ===');
    console.log(`Loaded in run 1: ${first}, in run 2: ${second}, total: ${first + second}/${expected}`);
    console.log(`Warehouse: ${warehouse.size} unique records, ${duplicates()} duplicates, ${missing} missing`);
    console.log(`Output file: ${outputLines} lines`);
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

runMain(main);
