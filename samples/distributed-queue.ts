// Seed 000 (advanced path), Exercise 12: Distributed Task Queue (Redis).
// Starts a real redis-server on a free loopback port (prints one line and exits 0 when
// redis-server is not installed) and runs a Redis-backed task queue on it with ioredis:
//   - tasks persist in Redis hashes; ready tasks sit in a sorted set ordered by priority, then
//     arrival, and five workers (one blocking connection each) take them with BZPOPMIN;
//   - scheduling: delayed tasks wait in a sorted set scored by due time until a scheduler loop
//     moves them (a Lua script, atomic) to the ready set;
//   - dependencies: a task waits until all its dependencies are done (a Lua script releases it);
//   - failures are retried with backoff; a task that fails 3 times goes to a dead-letter list;
//   - metrics: counters in a Redis hash and per worker, then a throughput run of 2000 tiny tasks.
// Timeline: five worker lanes busy in parallel; the three high-priority alerts jump ahead of the
// waiting image tasks; the reports start only after their 1 s delay; build -> test -> deploy
// run strictly one after another; the flaky task shows three attempts with growing gaps.
import { Redis } from 'ioredis';
import { scaled, sleep } from './lib/env.js';
import { runMain, stopwatch } from './lib/course.js';
import { startRedisServer } from './lib/redis-server.js';

const K = {
  task: (id: string) => `dq:task:${id}`,
  ready: 'dq:ready',
  delayed: 'dq:delayed',
  deps: (id: string) => `dq:deps:${id}`,
  dependents: (id: string) => `dq:dependents:${id}`,
  dead: 'dq:dead',
  seq: 'dq:seq',
  metrics: 'dq:metrics',
  workers: 'dq:workers',
};

// Ready-set score: higher priority first, then first come first served (exact in a double).
const SCORE = `local function score(priority, seq) return string.format('%.0f', (10 - priority) * 1e9 + seq) end`;

/** Moves every due delayed task to the ready set. KEYS: delayed, ready, seq. ARGV: now, task prefix. */
const PROMOTE_DUE = `${SCORE}
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
for _, id in ipairs(due) do
  redis.call('ZREM', KEYS[1], id)
  local priority = tonumber(redis.call('HGET', ARGV[2] .. id, 'priority'))
  redis.call('ZADD', KEYS[2], score(priority, redis.call('INCR', KEYS[3])), id)
  redis.call('HSET', ARGV[2] .. id, 'status', 'ready')
end
return #due`;

/** Adds a task, held back until its unfinished dependencies are done. KEYS: task, deps, ready, seq.
 *  ARGV: id, priority, task prefix, dependents prefix, dep ids... */
const ENQUEUE_WITH_DEPS = `${SCORE}
local waiting = 0
for i = 5, #ARGV do
  if redis.call('HGET', ARGV[3] .. ARGV[i], 'status') ~= 'done' then
    redis.call('SADD', KEYS[2], ARGV[i])
    redis.call('SADD', ARGV[4] .. ARGV[i], ARGV[1])
    waiting = waiting + 1
  end
end
if waiting == 0 then
  redis.call('ZADD', KEYS[3], score(tonumber(ARGV[2]), redis.call('INCR', KEYS[4])), ARGV[1])
  redis.call('HSET', KEYS[1], 'status', 'ready')
else
  redis.call('HSET', KEYS[1], 'status', 'waiting')
end
return waiting`;

/** Marks a task done, counts it, and releases dependents whose last dependency it was.
 *  KEYS: task, dependents-of-task, ready, seq, metrics, workers.
 *  ARGV: id, finishedAt, task prefix, deps prefix, worker id. */
const COMPLETE = `${SCORE}
redis.call('HSET', KEYS[1], 'status', 'done', 'finishedAt', ARGV[2])
redis.call('HINCRBY', KEYS[5], 'completed', 1)
redis.call('HINCRBY', KEYS[6], ARGV[5], 1)
local released = 0
for _, child in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  redis.call('SREM', ARGV[4] .. child, ARGV[1])
  if redis.call('SCARD', ARGV[4] .. child) == 0 then
    local priority = tonumber(redis.call('HGET', ARGV[3] .. child, 'priority'))
    redis.call('ZADD', KEYS[3], score(priority, redis.call('INCR', KEYS[4])), child)
    redis.call('HSET', ARGV[3] .. child, 'status', 'ready')
    released = released + 1
  end
end
redis.call('DEL', KEYS[2])
return released`;

interface QueueRedis extends Redis {
  promoteDue(delayed: string, ready: string, seq: string, now: number, prefix: string): Promise<number>;
  enqueueWithDeps(
    task: string,
    deps: string,
    ready: string,
    seq: string,
    id: string,
    priority: number,
    prefix: string,
    dependentsPrefix: string,
    ...depIds: string[]
  ): Promise<number>;
  complete(
    task: string,
    dependents: string,
    ready: string,
    seq: string,
    metrics: string,
    workers: string,
    id: string,
    finishedAt: number,
    prefix: string,
    depsPrefix: string,
    workerId: string,
  ): Promise<number>;
}

function connect(port: number): QueueRedis {
  const redis = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1 }) as QueueRedis;
  redis.defineCommand('promoteDue', { numberOfKeys: 3, lua: PROMOTE_DUE });
  redis.defineCommand('enqueueWithDeps', { numberOfKeys: 4, lua: ENQUEUE_WITH_DEPS });
  redis.defineCommand('complete', { numberOfKeys: 6, lua: COMPLETE });
  return redis;
}

interface TaskOptions {
  priority?: number;
  /** Course seconds before the task may run. */
  delay?: number;
  dependsOn?: string[];
  maxAttempts?: number;
}

type Handler = (payload: Record<string, unknown>, attempt: number) => Promise<void>;

class DistributedTaskQueue {
  private readonly redis: QueueRedis;
  private stopping = false;
  private readonly clock = stopwatch();
  /** Course seconds since the queue started, written into the task hashes for the report. */
  now = (): number => this.clock();

  constructor(
    private readonly port: number,
    private readonly handlers: Record<string, Handler>,
  ) {
    this.redis = connect(port);
  }

  async enqueue(id: string, type: string, payload: Record<string, unknown> = {}, options: TaskOptions = {}): Promise<void> {
    const { priority = 1, delay = 0, dependsOn = [], maxAttempts = 3 } = options;
    await this.redis.hset(K.task(id), {
      id,
      type,
      payload: JSON.stringify(payload),
      priority,
      attempts: 0,
      maxAttempts,
      enqueuedAt: this.now(),
    });
    if (delay > 0) {
      await this.redis.multi().zadd(K.delayed, Date.now() + scaled(delay), id).hset(K.task(id), 'status', 'scheduled').exec();
    } else {
      await this.redis.enqueueWithDeps(K.task(id), K.deps(id), K.ready, K.seq, id, priority, K.task(''), K.dependents(''), ...dependsOn);
    }
    await this.redis.hincrby(K.metrics, 'enqueued', 1);
  }

  /** Moves due delayed tasks to the ready set, until stopped. */
  async scheduler(): Promise<void> {
    while (!this.stopping) {
      await this.redis.promoteDue(K.delayed, K.ready, K.seq, Date.now(), K.task(''));
      await sleep(0.05);
    }
  }

  async worker(workerId: string): Promise<void> {
    const blocking = connect(this.port); // BZPOPMIN blocks its connection: one per worker
    try {
      while (!this.stopping) {
        const popped = await blocking.bzpopmin(K.ready, 0.05);
        if (!popped) continue;
        const id = popped[1];
        // One round trip: count the attempt, mark it running, read the task.
        const replies = await blocking
          .multi()
          .hincrby(K.task(id), 'attempts', 1)
          .hset(K.task(id), { status: 'running', worker: workerId, startedAt: this.now() })
          .hgetall(K.task(id))
          .exec();
        const task = replies?.[2]?.[1] as Record<string, string>;
        const attempt = Number(task.attempts);
        try {
          await this.handlers[task.type!]!(JSON.parse(task.payload!) as Record<string, unknown>, attempt);
          await blocking.complete(
            K.task(id),
            K.dependents(id),
            K.ready,
            K.seq,
            K.metrics,
            K.workers,
            id,
            this.now(),
            K.task(''),
            K.deps(''),
            workerId,
          );
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          if (attempt >= Number(task.maxAttempts)) {
            await blocking
              .multi()
              .hset(K.task(id), { status: 'dead', error: message, finishedAt: this.now() })
              .lpush(K.dead, id)
              .hincrby(K.metrics, 'dead', 1)
              .exec();
          } else {
            const backoff = 0.1 * 2 ** (attempt - 1);
            await blocking
              .multi()
              .hset(K.task(id), { status: 'scheduled', error: message })
              .zadd(K.delayed, Date.now() + scaled(backoff), id)
              .hincrby(K.metrics, 'retried', 1)
              .exec();
          }
        }
      }
    } finally {
      await blocking.quit();
    }
  }

  /** Waits until `count` tasks have finished (done or dead). */
  async drained(count: number): Promise<void> {
    for (;;) {
      const [completed, dead] = await this.redis.hmget(K.metrics, 'completed', 'dead');
      if (Number(completed ?? 0) + Number(dead ?? 0) >= count) return;
      await sleep(0.05);
    }
  }

  async run(workerIds: string[], until: () => Promise<void>): Promise<void> {
    this.stopping = false;
    const loops = [this.scheduler(), ...workerIds.map((id) => this.worker(id))];
    try {
      await until();
    } finally {
      this.stopping = true;
      await Promise.all(loops);
    }
  }

  task(id: string): Promise<Record<string, string>> {
    return this.redis.hgetall(K.task(id));
  }

  get client(): QueueRedis {
    return this.redis;
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}

async function main(): Promise<void> {
  const server = await startRedisServer();
  if (!server) {
    console.log('redis-server is not installed, so the distributed queue sample is skipped (apt-get install redis-server)');
    return;
  }
  const startOrder: string[] = [];
  const work = (seconds: number): Handler => async (payload) => {
    startOrder.push(String(payload.name));
    await sleep(seconds);
  };
  const queue = new DistributedTaskQueue(server.port, {
    resize: work(0.3),
    alert: work(0.1),
    report: work(0.2),
    pipeline: work(0.3),
    flaky: async (payload) => {
      startOrder.push(String(payload.name));
      await sleep(0.05);
      throw new Error('always fails');
    },
    sometimes: async (payload, attempt) => {
      startOrder.push(String(payload.name));
      await sleep(0.05);
      if (attempt === 1) throw new Error('fails the first time');
    },
    noop: async () => undefined,
  });
  try {
    console.log('=== Distributed Task Queue (Redis) ===');
    console.log(`redis-server ${server.version} on 127.0.0.1 (a free port), 5 workers`);
    const workers = ['worker-1', 'worker-2', 'worker-3', 'worker-4', 'worker-5'];

    const tasks: Array<[string, string, TaskOptions]> = [
      ...Array.from({ length: 10 }, (_, i) => [`resize-${i + 1}`, 'resize', { priority: 1 }] as [string, string, TaskOptions]),
      ...Array.from({ length: 3 }, (_, i) => [`alert-${i + 1}`, 'alert', { priority: 9 }] as [string, string, TaskOptions]),
      ...Array.from({ length: 3 }, (_, i) => [`report-${i + 1}`, 'report', { delay: 1 }] as [string, string, TaskOptions]),
      ['build', 'pipeline', {}],
      ['test', 'pipeline', { dependsOn: ['build'] }],
      ['deploy', 'pipeline', { dependsOn: ['test'] }],
      ['flaky-1', 'flaky', { maxAttempts: 3 }],
      ['sometimes-1', 'sometimes', { maxAttempts: 3 }],
    ];
    const elapsed = stopwatch();
    await queue.run(workers, async () => {
      for (const [id, type, options] of tasks) await queue.enqueue(id, type, { name: id }, options);
      console.log(`Enqueued ${tasks.length} tasks: 10 image resizes, 3 high-priority alerts, 3 reports delayed by 1 s, build -> test -> deploy, 2 that fail`);
      await queue.drained(tasks.length);
    });
    console.log(`All ${tasks.length} tasks finished in ${elapsed().toFixed(2)} seconds`);

    const info = async (id: string) => {
      const t = await queue.task(id);
      return {
        id: t.id ?? id,
        status: t.status ?? '?',
        attempts: Number(t.attempts),
        error: t.error ?? '',
        enqueuedAt: Number(t.enqueuedAt),
        startedAt: Number(t.startedAt),
        finishedAt: Number(t.finishedAt),
      };
    };
    console.log(`\nStart order: ${startOrder.join(', ')}`);
    for (const id of ['report-1', 'report-2', 'report-3']) {
      const t = await info(id);
      console.log(`${id} started ${(t.startedAt - t.enqueuedAt).toFixed(2)} s after it was enqueued (delay 1.0 s)`);
    }
    const chain = await Promise.all(['build', 'test', 'deploy'].map(info));
    console.log(`Chain: ${chain.map((t) => `${t.id} ${t.startedAt.toFixed(2)} -> ${t.finishedAt.toFixed(2)}`).join(', ')}`);
    const sometimes = await info('sometimes-1');
    console.log(`sometimes-1: ${sometimes.status} on attempt ${sometimes.attempts}`);
    const dead = await queue.client.lrange(K.dead, 0, -1);
    for (const id of dead) {
      const t = await info(id);
      console.log(`Dead letter queue: ${id} after ${t.attempts} attempts (${t.error})`);
    }
    const metrics = await queue.client.hgetall(K.metrics);
    console.log(`Metrics: enqueued ${metrics.enqueued}, completed ${metrics.completed}, retried ${metrics.retried}, dead ${metrics.dead ?? 0}`);
    const perWorker = await queue.client.hgetall(K.workers);
    console.log(`Per worker: ${workers.map((w) => `${w} ${perWorker[w] ?? 0}`).join(', ')}`);

    console.log('\n--- Throughput: 2000 tiny tasks, 5 workers ---');
    await queue.client.del(K.metrics, K.workers);
    const count = 2000;
    let realSeconds = 0;
    await queue.run(workers, async () => {
      const started = performance.now();
      const batch = queue.client.pipeline();
      for (let i = 0; i < count; i++) {
        const id = `noop-${i}`;
        batch.hset(K.task(id), { id, type: 'noop', payload: '{}', priority: 1, attempts: 0, maxAttempts: 1 });
        batch.zadd(K.ready, 9e9 + i, id);
      }
      await batch.exec();
      await queue.drained(count);
      realSeconds = (performance.now() - started) / 1000;
    });
    const done = await queue.client.hget(K.metrics, 'completed');
    console.log(`${done}/${count} tasks in ${realSeconds.toFixed(2)} s of real time: ${Math.round(Number(done) / realSeconds)} tasks/s`);
  } finally {
    await queue.close();
    await server.stop();
    console.log('redis-server stopped');
  }
}

runMain(main);
