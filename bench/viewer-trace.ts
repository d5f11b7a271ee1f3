// A synthetic trace for `npm run bench:viewer`: exactly N task spans (default 1,000,000) over
// ten minutes, shaped like a busy service: main -> 999 overlapping batches -> 1,000 jobs each,
// every job running, awaiting and running again (three segments), 1% rejected, a timer for one
// job in twenty, event-loop lag sampled every 10 ms and 30 blocking stretches. Deterministic.
// Written as a trace and read back (analysis-from-objects.ts), like a recorded run.
import type { TraceModel } from '../src/model/types.js';
import { modelFromObjects, type ObjectBlocking as Blocking, type ObjectResource as Resource, type ObjectSegment as Segment, type ObjectTask as Task } from './analysis-from-objects.js';

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticTrace(totalTasks = 1_000_000, wallMs = 600_000): TraceModel {
  const rand = random(42);
  const batches = Math.max(1, Math.round(Math.sqrt(totalTasks)) - 1);
  const jobsPerBatch = Math.floor((totalTasks - 1 - batches) / batches);
  const extra = totalTasks - 1 - batches - jobsPerBatch * batches;
  const tasks: Task[] = [];
  const resources: Resource[] = [];
  const make = (id: number, parentId: number | null, name: string, line: number, startMs: number, endMs: number, segments: Segment[], outcome: Task['outcome']): Task => ({
    id,
    parentId,
    name,
    line,
    startMs,
    endMs,
    outcome,
    segments,
  });
  const main = make(1, null, 'main', 10, 0, wallMs, [
    { kind: 'run', startMs: 0, endMs: 2, line: 10 },
    { kind: 'wait', startMs: 2, endMs: wallMs - 1, line: 14 },
    { kind: 'run', startMs: wallMs - 1, endMs: wallMs, line: 14 },
  ], 'fulfilled');
  tasks.push(main);
  let nextId = 2;
  const names = ['fetchOrder', 'loadUser', 'chargeCard', 'sendEmail', 'resizeImage', 'writeAudit', 'queryInventory', 'renderInvoice'];
  for (let b = 0; b < batches; b++) {
    const start = (b / batches) * wallMs * 0.985 + rand() * 50;
    const duration = 2000 + rand() * 6000;
    const end = Math.min(wallMs - 2, start + duration);
    const batch = make(nextId++, 1, 'processBatch', 20, start, end, [
      { kind: 'run', startMs: start, endMs: start + 0.3, line: 20 },
      { kind: 'wait', startMs: start + 0.3, endMs: end - 0.2, line: 24 },
      { kind: 'run', startMs: end - 0.2, endMs: end, line: 24 },
    ], 'fulfilled');
    tasks.push(batch);
    const jobs = jobsPerBatch + (b < extra ? 1 : 0);
    for (let j = 0; j < jobs; j++) {
      const s = start + 0.3 + rand() * (end - start - 250);
      const d = Math.min(end - 0.2 - s, 1 + -Math.log(1 - rand()) * 40);
      const r1 = Math.min(d * 0.2, 0.02 + rand() * 0.3);
      const r2 = Math.min(d * 0.2, 0.02 + rand() * 0.2);
      const name = names[(j + b) % names.length]!;
      const job = make(nextId++, batch.id, name, 30 + ((j + b) % names.length) * 7, s, s + d, [
        { kind: 'run', startMs: s, endMs: s + r1, line: 30 },
        { kind: 'wait', startMs: s + r1, endMs: s + d - r2, line: 32 },
        { kind: 'run', startMs: s + d - r2, endMs: s + d, line: 32 },
      ], rand() < 0.01 ? 'rejected' : 'fulfilled');
      tasks.push(job);
      if (j % 20 === 0) resources.push({ type: 'setTimeout', taskId: job.id, createdMs: s + r1, callbacksMs: [s + d - r2], endMs: s + d - r2 });
    }
  }
  const blocking: Blocking[] = [];
  for (let k = 0; k < 30; k++) {
    const startMs = ((k + 0.5) / 30) * wallMs + rand() * 1000;
    const durationMs = 60 + rand() * 240;
    const t = tasks[1 + Math.floor(rand() * (tasks.length - 1))]!;
    blocking.push({ startMs, durationMs, function: 'parseReport', line: 88, stack: [{ function: t.name, line: t.line }], inside: 'JSON.parse' });
  }
  const times: number[] = [];
  const values: number[] = [];
  for (let t = 10; t < wallMs; t += 10) {
    const hit = blocking.find((b) => t >= b.startMs && t <= b.startMs + b.durationMs + 10);
    times.push(t);
    values.push(hit ? Math.max(0.5, t - hit.startMs) : rand() * rand() * 3);
  }
  return modelFromObjects(
    {
      script: `bench/service.ts (synthetic, ${totalTasks.toLocaleString('en-US')} task spans)`,
      cwd: '/nonexistent',
      wallMs,
      tasks,
      resources,
      lag: { times, values },
      blocking,
    },
    '/tmp/bench-viewer.trace',
  );
}
