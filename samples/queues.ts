// Seed 004 (AsyncIO guide) section 5 "Queues" — Queue, producer/consumer, PriorityQueue, LifoQueue — and its three
// challenges (producer -> worker pool -> aggregator pipeline, urgent-first processing with random priorities, a LIFO
// undo stack); seed 003 (practice) Exercise 9 (a staged data pipeline with workers, error handling and metrics);
// seed 002 (lab) Exercise 7 (producer-consumer pipeline, concurrent image processing) and Exercise 8 (producer-
// consumer with one producer and three consumers). The queues are samples/lib/b-queue.ts.
//
// Timeline, in order:
//   1. a producer (0.1 s per item) racing a slower consumer (0.2 s per item) through a queue of 3: the producer
//      stalls when the queue is full;
//   2. producer and consumer with random pauses and a sentinel;
//   3. three items out of a priority queue in priority order;
//   4. image pipeline: 12 images, three resize workers overlapping (0.3 s each) -> aggregator; ~1.2 s, not 3.6 s;
//   5. urgent-first: a worker busy with one job while 7 more arrive, then takes them lowest priority number first;
//   6. a LIFO undo stack;
//   7. lab exercise 8: one producer, three consumers;
//   8. practice exercise 9: items fed 0.1 s apart through normalize (2 workers) -> validate -> output.
import { courseSeconds, random, sleep } from './lib/env.js';
import { pyRepr, stopwatch } from './lib/b-async.js';
import { AsyncQueue, LifoQueue, PriorityQueue } from './lib/b-queue.js';

const rand = random();

// --- 1. asyncio.Queue with maxsize, task_done and join -----------------------------------------------------------------
async function basicQueue(): Promise<void> {
  const queue = new AsyncQueue<number>(3); // bounded
  const producer = async (): Promise<void> => {
    for (let i = 0; i < 5; i++) {
      console.log(`Producing: ${i}`);
      await queue.put(i); // waits while 3 items are already queued
      await sleep(0.1);
    }
  };
  const stop = new AbortController();
  const consumer = (async () => {
    try {
      for (;;) {
        const item = await queue.get(stop.signal);
        console.log(`Consuming: ${item}`);
        await sleep(0.2);
        queue.taskDone();
      }
    } catch {
      // cancelled once the work is done
    }
  })();
  await producer();
  await queue.join(); // every produced item has been processed
  stop.abort(); // stop the consumer, as the seed does with consumer_task.cancel()
  await consumer;
}

// --- 2. sentinel-terminated producer/consumer ----------------------------------------------------------------------------
async function sentinelQueue(): Promise<void> {
  const q = new AsyncQueue<string | null>();
  const producer = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) {
      await sleep(rand()); // variable production time
      const item = `item-${i}`;
      await q.put(item);
      console.log(`Produced ${item}`);
    }
    await q.put(null); // sentinel
  };
  const consumer = async (): Promise<void> => {
    for (;;) {
      const item = await q.get();
      if (item === null) {
        await q.put(null); // put it back for any other consumer
        break;
      }
      console.log(`Consumed ${item}`);
      await sleep(0.1);
    }
  };
  await Promise.all([producer(5), consumer()]);
}

// --- 3. PriorityQueue ------------------------------------------------------------------------------------------------------
async function priorityQueue(): Promise<void> {
  const q = new PriorityQueue<[number, string]>((a, b) => a[0] - b[0]);
  await q.put([2, 'low-priority']);
  await q.put([0, 'high-priority']);
  await q.put([1, 'medium']);
  while (!q.empty()) {
    const [, item] = await q.get();
    console.log('Got:', item);
    q.taskDone();
  }
}

// --- 4. Challenge 1 / lab exercise 7: producer -> worker pool -> aggregator (image processing) ----------------------------
interface Image {
  name: string;
  width: number;
  height: number;
}
interface Thumbnail {
  name: string;
  bytes: number;
  worker: number;
}

async function imagePipeline(workers: number): Promise<void> {
  const toResize = new AsyncQueue<Image>(4);
  const resized = new AsyncQueue<Thumbnail>();
  const elapsed = stopwatch();

  const producer = (async () => {
    for (let i = 1; i <= 12; i++) {
      await toResize.put({ name: `photo${String(i).padStart(2, '0')}.jpg`, width: 4000 + i * 10, height: 3000 });
    }
    toResize.close(); // no more images: workers leave their loops once the queue is drained
  })();

  const pool = Array.from({ length: workers }, async (_, w) => {
    for await (const image of toResize) {
      await sleep(0.3); // resizing
      const scale = 200 / image.width;
      await resized.put({ name: image.name, bytes: Math.round(200 * image.height * scale * 3), worker: w + 1 });
    }
  });

  const aggregator = (async () => {
    const perWorker = new Map<number, number>();
    let total = 0;
    let count = 0;
    for await (const thumb of resized) {
      count++;
      total += thumb.bytes;
      perWorker.set(thumb.worker, (perWorker.get(thumb.worker) ?? 0) + 1);
    }
    return { count, total, perWorker };
  })();

  await producer;
  await Promise.all(pool);
  resized.close(); // all workers done: the aggregator can finish
  const { count, total, perWorker } = await aggregator;
  const split = [...perWorker.entries()].sort((a, b) => a[0] - b[0]).map(([w, n]) => `worker ${w}: ${n}`);
  console.log(`Pipeline: ${count} images resized by ${workers} workers (${split.join(', ')})`);
  console.log(`Aggregated thumbnails: ${total} bytes in ${elapsed().toFixed(2)}s (one worker would need ${(count * 0.3).toFixed(1)}s)`);
}

// --- 5. Challenge 2: urgent tasks first, random priorities --------------------------------------------------------------
async function urgentFirst(): Promise<void> {
  const q = new PriorityQueue<{ priority: number; name: string }>((a, b) => a.priority - b.priority);
  const order: number[] = [];
  const worker = (async () => {
    for await (const job of q) {
      console.log(`Processing ${job.name} (priority ${job.priority})`);
      order.push(job.priority);
      await sleep(0.1);
    }
  })();
  await q.put({ priority: 5, name: 'job-0' }); // the worker takes this one at once
  await sleep(0.01);
  for (let i = 1; i <= 7; i++) await q.put({ priority: Math.floor(rand() * 10), name: `job-${i}` });
  q.close();
  await worker;
  console.log(`Processed in priority order after the first: ${order.slice(1).join(' <= ')}`);
}

// --- 6. Challenge 3: LIFO undo stack -------------------------------------------------------------------------------------
async function undoStack(): Promise<void> {
  const history = new LifoQueue<string>();
  let text = '';
  for (const word of ['Hello', ' async', ' world', '!']) {
    text += word;
    await history.put(word);
    console.log(`Typed ${pyRepr(word)} -> ${pyRepr(text)}`);
  }
  for (let i = 0; i < 3; i++) {
    const last = await history.get(); // the most recent action comes out first
    text = text.slice(0, text.length - last.length);
    console.log(`Undo ${pyRepr(last)} -> ${pyRepr(text)}`);
  }
}

// --- 7. Lab exercise 8: one producer, three consumers -------------------------------------------------------------------
async function produceConsume(): Promise<void> {
  const queue = new AsyncQueue<number>();
  const produceItems = async (count: number): Promise<void> => {
    for (let i = 0; i < count; i++) {
      await sleep(0.05);
      await queue.put(i);
      console.log(`  produced item ${i}`);
    }
    queue.close();
  };
  const consumeItems = async (id: number): Promise<void> => {
    for await (const item of queue) {
      await sleep(0.1);
      console.log(`  consumer ${id} handled item ${item}`);
    }
  };
  await Promise.all([produceItems(5), ...[0, 1, 2].map(consumeItems)]);
  console.log('Producer-consumer pattern completed');
}

// --- 8. Practice exercise 9: a staged data pipeline ----------------------------------------------------------------------
interface DataItem {
  itemId: string;
  data: Record<string, unknown>;
  source: string;
}
type Processor = (item: DataItem) => Promise<DataItem | null | void>;
interface StageConfig {
  name: string;
  kind: 'transform' | 'filter' | 'sink';
  workers: number;
  maxQueueSize: number;
}
interface StageMetrics {
  processed: number;
  errors: number;
  avgProcessTime: number;
}

class AsyncPipeline {
  readonly #stages: { config: StageConfig; processor: Processor; queue: AsyncQueue<DataItem> }[] = [];
  readonly metrics = new Map<string, StageMetrics>();
  #running: Promise<void>[] = [];

  constructor(readonly name: string) {}

  addStage(config: StageConfig, processor: Processor): this {
    this.#stages.push({ config, processor, queue: new AsyncQueue<DataItem>(config.maxQueueSize) });
    this.metrics.set(config.name, { processed: 0, errors: 0, avgProcessTime: 0 });
    return this;
  }

  start(): void {
    this.#running = this.#stages.map(async (stage, index) => {
      const next = this.#stages[index + 1]?.queue;
      const metrics = this.metrics.get(stage.config.name)!;
      const worker = async (): Promise<void> => {
        for await (const item of stage.queue) {
          const started = performance.now();
          try {
            const result = await stage.processor(item);
            metrics.processed++;
            const seconds = courseSeconds(performance.now() - started);
            metrics.avgProcessTime = metrics.avgProcessTime * 0.9 + seconds * 0.1;
            if (stage.config.kind !== 'sink' && result && next) await next.put(result);
          } catch (error) {
            metrics.errors++; // error policy "skip": log it and go on with the next item
            console.log(`[ERROR] Stage ${stage.config.name}: ${(error as Error).message}`);
          }
        }
      };
      await Promise.all(Array.from({ length: stage.config.workers }, worker));
      next?.close(); // this stage is drained: let the next one finish too
    });
    console.log(`[PIPELINE] '${this.name}' started with ${this.#stages.length} stages`);
  }

  addItem(item: DataItem): Promise<void> {
    return this.#stages[0]!.queue.put(item);
  }

  /** Graceful stop: no more input, wait until every stage has drained. */
  async stop(): Promise<void> {
    this.#stages[0]!.queue.close();
    await Promise.all(this.#running);
    console.log(`[PIPELINE] '${this.name}' stopped`);
  }
}

function toFloat(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  if (String(value).trim() === '' || Number.isNaN(n)) throw new Error(`could not convert string to float: ${pyRepr(String(value))}`);
  return n;
}

async function dataPipeline(): Promise<void> {
  console.log('='.repeat(60));
  console.log('ASYNC DATA PIPELINE DEMO');
  console.log('='.repeat(60));
  const pipeline = new AsyncPipeline('Data Processing Pipeline')
    .addStage({ name: 'normalize', kind: 'transform', workers: 2, maxQueueSize: 1000 }, async (item) => {
      await sleep(0.02);
      if (typeof item.data.name === 'string') item.data.name = item.data.name.trim().toLowerCase();
      if ('value' in item.data) item.data.value = toFloat(item.data.value);
      return item;
    })
    .addStage({ name: 'validate', kind: 'filter', workers: 1, maxQueueSize: 1000 }, async (item) => {
      return ['name', 'value'].every((f) => f in item.data) ? item : null;
    })
    .addStage({ name: 'output', kind: 'sink', workers: 1, maxQueueSize: 1000 }, async (item) => {
      await sleep(0.01); // writing somewhere
      console.log(`[SINK] Processed item ${item.itemId}`);
    });
  pipeline.start();
  const testData = [
    { name: '  Alice  ', value: '100' },
    { name: 'Bob', value: 'invalid' },
    { name: '  Carol  ', value: '300' },
    { name: 'Dave', value: '400' },
    { name: 'Eve' }, // no value: filtered out by validate
  ];
  console.log('\nAdding test data...');
  for (const [i, data] of testData.entries()) {
    await pipeline.addItem({ itemId: `item_${i}`, data, source: 'test' });
    await sleep(0.1);
  }
  await pipeline.stop();
  console.log('\nPipeline Metrics:');
  for (const [stage, m] of pipeline.metrics) {
    console.log(`  ${stage}: {'processed': ${m.processed}, 'errors': ${m.errors}, 'avg_process_time': ${m.avgProcessTime.toFixed(4)}}`);
  }
}

const parts: [string, () => Promise<void>][] = [
  ['1. Queue (maxsize 3), task_done and join', basicQueue],
  ['2. Producer/consumer with a sentinel', sentinelQueue],
  ['3. PriorityQueue', priorityQueue],
  ['4. Pipeline: producer -> worker pool -> aggregator', () => imagePipeline(3)],
  ['5. Urgent first (random priorities)', urgentFirst],
  ['6. LIFO undo stack', undoStack],
  ['7. One producer, three consumers (lab exercise 8)', produceConsume],
  ['8. Staged data pipeline (practice exercise 9)', dataPipeline],
];
for (const [title, run] of parts) {
  console.log(`\n== ${title} ==`);
  await run();
}
