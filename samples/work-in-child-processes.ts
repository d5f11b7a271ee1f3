// WORK IN CHILD PROCESSES. Seed 004 (AsyncIO guide) §3 "Subprocesses" and its final notes (CPU work
// belongs outside the event loop: `ProcessPoolExecutor`), here as Node does it: `child_process.fork`
// and messages over the IPC channel.
//
// Four CPU-heavy checksums (about 100 ms each) go to two forked children, two jobs each, sent at
// once; the parent's loop only posts the jobs and awaits the answers, so its 10 ms ticker keeps
// ticking while both children work at the same time.
//
// Timeline (`npx async-prof run samples/work-in-child-processes.ts`): the main thread's lane group,
// idle apart from the ticker, then one lane group per child process (`process <pid>
// samples/lib/checksum-child.mjs`), each with two `onJob` tasks blocking in `checksum` one after
// the other. Arrows go from `askChild` in the parent to each child's `onJob`, and back from `onJob`
// to the `askChild` that awaited the answer. The report gives, under each child, how long the main
// loop waited for its answers (about 200 ms: its two jobs, one after the other).
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { checksum, roundsFor } from './lib/checksum.mjs';
import { TIME_SCALE } from './lib/env.js';

const CHILDREN = 2;
const JOBS = 4;
const JOB_MS = 100 * Math.max(1, TIME_SCALE);
const TICK_MS = 10;

interface Answer {
  id: number;
  pid: number;
  sum: number;
}

/** Answers from one child, in the order it sends them (it works on one job at a time). */
function answersOf(child: ChildProcess): (id: number) => Promise<Answer> {
  const waiting = new Map<number, (answer: Answer) => void>();
  child.on('message', (message: Answer | 'ready') => {
    if (message === 'ready') return;
    waiting.get(message.id)?.(message);
    waiting.delete(message.id);
  });
  return (id) => new Promise((resolve) => waiting.set(id, resolve));
}

async function askChild(child: ChildProcess, answer: (id: number) => Promise<Answer>, id: number, rounds: number): Promise<Answer> {
  const answered = answer(id);
  child.send({ id, rounds });
  return await answered;
}

async function main(): Promise<void> {
  const rounds = roundsFor(JOB_MS);
  console.log(`Four checksums of about ${JOB_MS} ms each, in ${CHILDREN} child processes`);
  const file = fileURLToPath(new URL('./lib/checksum-child.mjs', import.meta.url));
  const children = Array.from({ length: CHILDREN }, () => fork(file));
  // The children start before the clock runs: starting a process is not the work.
  await Promise.all(children.map((child) => new Promise((resolve) => child.once('message', resolve))));
  const answers = children.map(answersOf);

  let ticks = 0;
  const timer = setInterval(() => ticks++, TICK_MS);
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: JOBS }, (_, id) => askChild(children[id % CHILDREN]!, answers[id % CHILDREN]!, id, rounds)),
  );
  const ms = performance.now() - started;
  clearInterval(timer);

  const names = new Map(children.map((child, k) => [child.pid, `child ${k + 1}`]));
  for (const r of results) console.log(`job ${r.id}: answered by ${names.get(r.pid)}`);
  console.log(`${JOBS} answers in ${ms.toFixed(0)} ms (one after another: about ${JOBS * JOB_MS} ms); the ticker ticked ${ticks} times (expected about ${Math.floor(ms / TICK_MS)})`);
  const expected = checksum(rounds);
  console.log(`same results as on the main loop: ${results.every((r) => r.sum === expected)}`);
  for (const child of children) child.disconnect();
}

void main();
