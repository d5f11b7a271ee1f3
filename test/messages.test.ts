// Messages between threads and processes (issue 18): each postMessage and IPC message is joined
// to the task that sent it and the task that received it, the program gets its messages exactly
// as sent, and the report says how long the main loop waited for each worker's answers.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analysisOf } from '../src/analysis/pipeline.js';
import { messageLinks, type MessageEnd } from '../src/model/message-links.js';
import type { TraceModel } from '../src/model/types.js';
import type { ReportJson } from '../src/report/report-json.js';
import { loadModel } from '../src/trace/load-model.js';
import { runCli } from './helpers/cli.js';
import { repoRoot } from './helpers/run-sample.js';

const tmp = mkdtempSync(join(tmpdir(), 'async-prof-messages-'));

async function profiled(name: string, script: string, args: string[] = []) {
  // TypeScript runs bare as `tsx` runs it (the profiler runs it the same way).
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const bare = spawnSync(process.execPath, [...loader, script, ...args], { cwd: repoRoot, encoding: 'utf8' });
  expect(bare.status, bare.stderr).toBe(0);
  const out = join(tmp, `${name}.trace`);
  const result = await runCli(['run', '--no-serve', '--json', '--out', out, script, ...args], { cwd: repoRoot, timeoutMs: 60_000 });
  expect(result.code, result.stderr).toBe(0);
  // The report JSON is the last line; everything before it is the program's.
  const lines = result.stdout.trimEnd().split('\n');
  const report = JSON.parse(lines.pop()!) as ReportJson;
  return { bare: bare.stdout, program: lines.join('\n') + '\n', report, model: loadModel(out) };
}

/** "sender task -> receiver task" of every message sent, with the threads' names. */
function arrows(main: TraceModel): string[] {
  const where = (m: TraceModel) => (m.pid !== main.pid ? `process ${m.threadId === 0 ? 'main' : `worker ${m.threadId}`}` : m.threadId === 0 ? 'main' : 'worker');
  const task = (end: MessageEnd) => {
    const t = end.model.columns.messages.task[end.message]!;
    return `${where(end.model)}:${t >= 0 ? end.model.functions.name[end.model.columns.tasks.fn[t]!] : '-'}`;
  };
  return messageLinks(main).map((l) => `${l.start ? 'started: ' : ''}${task(l.from)} -> ${l.to ? task(l.to) : 'nobody'}`);
}

describe('messages', { retry: 1, timeout: 120_000 }, () => {
  it('a worker that answers a job: send and receive joined to their tasks, and the main loop waited about the worker\'s sleep', async () => {
    const sleepMs = 300;
    const { bare, program, report, model } = await profiled('worker', 'test/fixtures/messages/ask-worker.mjs', [String(sleepMs)]);
    expect(program).toBe(bare);
    expect(model.threads).toHaveLength(1);
    expect(arrows(model)).toEqual([
      // where main started the worker (its group: no task of the worker's yet)
      'started: main:main -> worker:-',
      // main's job to the worker (started in askWorker, taken by onJob), then 'stop'
      'main:askWorker -> worker:onJob',
      'main:main -> worker:onJob',
      // 'ready' is sent by the worker's top-level code; main's awaiting task resumed on it
      'worker:- -> main:main',
      // the answer: sent by onJob, woke askWorker (it awaited a promise the listener resolved)
      'worker:onJob -> main:askWorker',
    ]);
    const worker = report.threads!.find((t) => t.threadId !== 0)!;
    expect(worker.answers).toMatchObject({ askedBy: 0, questions: 2, answered: 1 });
    // The worker slept sleepMs; the wait adds two message hops and the worker's own few ms.
    expect(worker.answers!.waitMs).toBeGreaterThanOrEqual(sleepMs - 2);
    expect(worker.answers!.waitMs).toBeLessThan(sleepMs + 60);
    expect(analysisOf(model).answerWaits).toEqual([expect.objectContaining({ peerKind: 'thread', peer: worker.threadId, answered: 1 })]);
  });

  it('a forked child: IPC both ways joined to their tasks, two answers waited for', async () => {
    const { bare, program, report, model } = await profiled('fork', 'test/fixtures/messages/ask-child.mjs', ['100']);
    expect(program).toBe(bare);
    expect(model.processes).toHaveLength(1);
    expect(model.processes[0]!.columns.tasks.count).toBe(2);
    expect(arrows(model).sort()).toEqual([
      'main:askChild -> process main:onJob',
      'main:askChild -> process main:onJob',
      'process main:onJob -> main:askChild',
      'process main:onJob -> main:askChild',
      'started: main:main -> process main:-',
    ]);
    const child = report.processes![0]!;
    expect(child.answers).toMatchObject({ askedBy: 0, questions: 2, answered: 2 });
    // The second job's answer took the child's 100 ms (the first adds the child's start-up).
    expect(child.answers!.waitMs).toBeGreaterThan(200);
  });

  it('a cluster of two workers: each worker a process with its task, and its job and answer joined', async () => {
    const { bare, program, report, model } = await profiled('cluster', 'test/fixtures/messages/ask-cluster.cjs');
    expect(program).toBe(bare);
    expect(model.processes).toHaveLength(2);
    for (const p of model.processes) expect(p.tasks.map((t) => t.name)).toEqual(['onJob']);
    // Cluster's own messages (online, listening, disconnect) are not the program's: only the jobs and answers.
    expect(arrows(model).sort()).toEqual([
      'main:askWorker -> process main:onJob',
      'main:askWorker -> process main:onJob',
      'process main:onJob -> main:askWorker',
      'process main:onJob -> main:askWorker',
      'started: main:primary -> process main:-',
      'started: main:primary -> process main:-',
    ]);
    // Each link joins the right process: the job's receiver is the one whose answer came back.
    for (const link of messageLinks(model)) expect(link.to!.model.pid === model.pid).toBe(link.from.model.pid !== model.pid);
    for (const p of report.processes!) expect(p.answers).toMatchObject({ questions: 1, answered: 1 });
  });
});

describe('traces from before message events', () => {
  it('read as before: no messages, no arrows, no answers', () => {
    const model = loadModel(join(repoRoot, 'test', 'fixtures', 'traces', 'v1-names.trace'));
    expect(model.columns.messages.count).toBe(0);
    expect(messageLinks(model)).toEqual([]);
    expect(analysisOf(model).answerWaits).toEqual([]);
  });
});

describe('the "work in child processes" sample', { retry: 1, timeout: 120_000 }, () => {
  it('prints the expected lines; two children, each taking two jobs from askChild and answering from onJob', async () => {
    const { program, report, model } = await profiled('sample-children', 'samples/work-in-child-processes.ts');
    const lines = program.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Four checksums of about \d+ ms each, in 2 child processes$/);
    expect(lines.slice(1, 5)).toEqual(['job 0: answered by child 1', 'job 1: answered by child 2', 'job 2: answered by child 1', 'job 3: answered by child 2']);
    expect(lines[5]).toMatch(/^4 answers in \d+ ms \(one after another: about \d+ ms\); the ticker ticked \d+ times \(expected about \d+\)$/);
    expect(lines[6]).toBe('same results as on the main loop: true');
    expect(model.processes).toHaveLength(2);
    for (const p of model.processes) expect(p.tasks.map((t) => t.name)).toEqual(['onJob', 'onJob']);
    const joined = arrows(model);
    expect(joined.filter((a) => a === 'main:askChild -> process main:onJob')).toHaveLength(4);
    expect(joined.filter((a) => a === 'process main:onJob -> main:askChild')).toHaveLength(4);
    for (const p of report.processes!) expect(p.answers).toMatchObject({ askedBy: 0, questions: 2, answered: 2 });
  });
});
