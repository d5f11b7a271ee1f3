// Seed 000 (advanced path), Exercise 6: Async Queue System.
// Five producers put 100 tasks (20 each, about one in five "high" priority) into a bounded priority
// queue (10 slots, samples/lib/channel.ts: the TypeScript asyncio.Queue) that three consumers
// drain. The consumers are the bottleneck, so the queue fills up and producers wait on `put`
// (backpressure); high-priority tasks jump the queue and wait less. About 5 % of tasks fail.
// Metrics: processed/failed, processing time, queue wait per priority, throughput.
// Timeline: five producer tasks that stall while the queue is full and three consumer tasks that
// are busy back to back for the whole run (about 100 x 0.2 s / 3 = 6.7 s); the producers finish
// well before the consumers, which stop once the closed queue is drained.
import { random, SEED, sleep } from './lib/env.js';
import { Channel } from './lib/channel.js';
import { runMain, stopwatch } from './lib/course.js';

type Priority = 'high' | 'normal';

interface Task {
  id: string;
  priority: Priority;
  /** Course seconds of work. */
  work: number;
  willFail: boolean;
  enqueuedAt: number;
}

class TaskFailedError extends Error {}

class AsyncTaskQueue {
  private readonly queue: Channel<Task>;
  private readonly clock = stopwatch();
  readonly metrics = {
    processed: 0,
    failed: 0,
    totalTime: 0,
    waits: { high: [] as number[], normal: [] as number[] },
  };

  constructor(
    readonly maxSize = 10,
    readonly numWorkers = 3,
  ) {
    // Smallest first: high priority (0) before normal (1); FIFO within a priority.
    this.queue = new Channel<Task>(maxSize, (a, b) => rank(a.priority) - rank(b.priority));
  }

  async producer(producerId: number, numTasks: number): Promise<void> {
    const rng = random(SEED * 100 + producerId);
    let waited = 0;
    for (let i = 1; i <= numTasks; i++) {
      await sleep(0.02 + 0.06 * rng()); // time to produce the next task
      const task: Task = {
        id: `P${producerId}-${i}`,
        priority: rng() < 0.2 ? 'high' : 'normal',
        work: 0.1 + 0.2 * rng(),
        willFail: rng() < 0.05,
        enqueuedAt: this.clock(),
      };
      const putStarted = this.clock();
      await this.queue.put(task); // waits while the queue is full
      waited += this.clock() - putStarted;
    }
    console.log(`Producer ${producerId} done: ${numTasks} tasks queued (waited ${waited.toFixed(2)} s on a full queue)`);
  }

  async consumer(workerId: number): Promise<void> {
    let handled = 0;
    for await (const task of this.queue) {
      this.metrics.waits[task.priority].push(this.clock() - task.enqueuedAt);
      const started = this.clock();
      try {
        await this.execute(task);
        this.metrics.processed++;
      } catch (error) {
        if (!(error instanceof TaskFailedError)) throw error;
        this.metrics.failed++;
      } finally {
        this.metrics.totalTime += this.clock() - started;
        handled++;
      }
    }
    console.log(`Consumer ${workerId} stopped: ${handled} tasks handled`);
  }

  private async execute(task: Task): Promise<void> {
    await sleep(task.work);
    if (task.willFail) throw new TaskFailedError(`${task.id} failed`);
  }

  async run(numProducers: number, tasksPerProducer: number): Promise<void> {
    console.log('=== Async Task Queue ===');
    console.log(
      `${numProducers} producers, ${this.numWorkers} consumers, queue limit ${this.maxSize}, ${numProducers * tasksPerProducer} tasks`,
    );
    const elapsed = stopwatch();
    const consumers = Array.from({ length: this.numWorkers }, (_, i) => this.consumer(i + 1));
    const producers = Array.from({ length: numProducers }, (_, i) => this.producer(i + 1, tasksPerProducer));
    await Promise.all(producers);
    this.queue.close(); // consumers drain what is left, then stop
    await Promise.all(consumers);
    const total = elapsed();

    const { processed, failed, totalTime, waits } = this.metrics;
    const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
    console.log('\n=== Metrics ===');
    console.log(`Processed: ${processed}`);
    console.log(`Failed: ${failed}`);
    console.log(`Peak queue size: ${this.queue.peakSize}/${this.maxSize}`);
    console.log(`Puts that waited on a full queue: ${this.queue.blockedPuts}`);
    console.log(`Average processing time: ${(totalTime / (processed + failed)).toFixed(3)} s`);
    console.log(`Average queue wait (high priority): ${mean(waits.high).toFixed(3)} s over ${waits.high.length} tasks`);
    console.log(`Average queue wait (normal priority): ${mean(waits.normal).toFixed(3)} s over ${waits.normal.length} tasks`);
    console.log(`Throughput: ${((processed + failed) / total).toFixed(2)} tasks/s`);
    console.log(`Consumer utilisation: ${((100 * totalTime) / (total * this.numWorkers)).toFixed(0)}%`);
    console.log(`Total time: ${total.toFixed(2)} seconds`);
  }
}

function rank(priority: Priority): number {
  return priority === 'high' ? 0 : 1;
}

runMain(() => new AsyncTaskQueue(10, 3).run(5, 20));
