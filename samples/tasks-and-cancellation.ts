// Seed 004 (AsyncIO guide) Phase 2 "Tasks & Futures" — create_task, Future, cancel, gather, wait(FIRST_COMPLETED),
// TaskGroup — and its three challenges; seed 002 (lab) Exercise 2 "Coroutines and Tasks" (create, monitor,
// cancel after a timeout, cleanup).
//
// Timeline, in order:
//   A. Task1 (2 s) and Task2 (3 s) overlap; main waits for both (3 s).
//   B. a pending "future" resolved by another task after 2 s.
//   C. one 1 s task.
//   D. a 5 s worker cancelled after 2 s: its span ends early, at 2 s.
//   E. three 1 s tasks overlap (gather).
//   F. five downloads start together; the first to finish (1.0 s) wins and the other four are cut off then.
//   G. a task group of 1 s, 2 s and 3 s work, all overlapping (3 s).
//   H. a task group where Alpha fails at 0.5 s and Beta (1 s) and Gamma (1.5 s) are cancelled at that moment.
//   I. three downloads in parallel; video.mp4 is cancelled halfway (at 1 s) while the others run to the end.
//   J. lab exercise 2: five workers (0.3-1.9 s) watched by a monitor, then three workers (1, 2, 3 s) of which the
//      two still running at 1.5 s are cancelled.
import { sleep } from './lib/env.js';
import { asCompleted, deferred, isAbortError, pyRepr, stopwatch } from './lib/b-async.js';
import { createTask, taskGroup, type Task } from './lib/b-task.js';

class ValueError extends Error {
  override name = 'ValueError';
}

// --- A. What is a Task? --------------------------------------------------------------------------------------
async function worker(name: string, delay: number): Promise<string> {
  console.log(`${name} started`);
  await sleep(delay);
  console.log(`${name} finished`);
  return `${name} result`;
}

async function partA(): Promise<void> {
  // Calling an async function starts it at once (that is what create_task does in asyncio);
  // the promise is the handle we come back to later.
  const task1 = worker('Task1', 2);
  const task2 = worker('Task2', 3);
  console.log('Both tasks are running in the background...');
  const result1 = await task1;
  const result2 = await task2;
  console.log('Results:', result1, result2);
}

// --- B. What is a Future? ------------------------------------------------------------------------------------
async function partB(): Promise<void> {
  const future = deferred<string>(); // an empty box that gets its value later
  const setter = (async () => {
    await sleep(2);
    future.resolve('Future is done!');
  })();
  console.log('Waiting for future...');
  const result = await future.promise;
  console.log('Got result:', result);
  await setter;
}

// --- C. Converting coroutines into tasks ----------------------------------------------------------------------
async function partC(): Promise<void> {
  const greet = async (): Promise<string> => {
    await sleep(1);
    return 'Hello!';
  };
  const task = createTask('greet', greet); // a handle with a name, a state and cancel()
  console.log('Task started...');
  console.log('Result:', await task.promise);
}

// --- D. Cancelling tasks ---------------------------------------------------------------------------------------
async function partD(): Promise<void> {
  const task = createTask('worker', async (signal) => {
    try {
      console.log('Worker started');
      await sleep(5, signal); // the signal is how cancellation reaches the await
      console.log('Worker finished');
    } catch (error) {
      if (isAbortError(error)) console.log('Worker was cancelled!');
      throw error; // re-raise so the caller sees the cancellation
    }
  });
  await sleep(2);
  task.cancel();
  try {
    await task.promise;
  } catch (error) {
    if (isAbortError(error)) console.log('Caught task cancellation');
    else throw error;
  }
}

// --- E. Gathering tasks ------------------------------------------------------------------------------------------
async function myCoroutine(name: string): Promise<string> {
  console.log(`Starting ${name}`);
  await sleep(1);
  console.log(`Finishing ${name}`);
  return `Result from ${name}`;
}

async function partE(): Promise<void> {
  const results = await Promise.all([myCoroutine('Task 1'), myCoroutine('Task 2'), myCoroutine('Task 3')]);
  console.log('All tasks are done.');
  console.log(`Results: ${pyRepr(results)}`);
}

// --- F. asyncio.wait(FIRST_COMPLETED) / challenge 2: first of five workers wins ------------------------------------
async function downloadFile(name: string, delay: number, signal?: AbortSignal): Promise<string> {
  console.log(`Downloading ${name} (${delay}s)...`);
  try {
    await sleep(delay, signal);
  } catch (error) {
    if (isAbortError(error)) console.log(`Download of ${name} cancelled`);
    throw error;
  }
  console.log(`Downloaded ${name}`);
  return name;
}

async function partF(): Promise<void> {
  const delays = [2.5, 1.5, 3.0, 1.0, 2.0];
  const tasks = delays.map((d, i) => createTask(`file_${i + 1}.zip`, (signal) => downloadFile(`file_${i + 1}.zip`, d, signal)));
  const elapsed = stopwatch();
  // Promise.race settles with the first task to finish; Promise.any would skip failures instead.
  const first = await Promise.race(tasks.map((t) => t.promise));
  console.log(`First task finished: ${first} after ${elapsed().toFixed(2)}s`);
  const pending = tasks.filter((t) => !t.done);
  for (const t of pending) t.cancel(); // asyncio.wait leaves the rest running; we stop them explicitly
  await Promise.allSettled(pending.map((t) => t.promise));
  console.log(`Cancelled ${pending.length} pending workers`);
}

// --- G. Task groups ------------------------------------------------------------------------------------------------
async function partG(): Promise<void> {
  const doWork = async (i: number, signal: AbortSignal): Promise<number> => {
    await sleep(i, signal);
    console.log(`Work ${i} done`);
    return i;
  };
  await taskGroup((tg) => {
    tg.spawn('work-1', (s) => doWork(1, s));
    tg.spawn('work-2', (s) => doWork(2, s));
    tg.spawn('work-3', (s) => doWork(3, s));
  });
  console.log('All tasks completed!');
}

// --- H. A task group where one task fails (challenge 3) --------------------------------------------------------------
async function workerTask(name: string, duration: number, shouldFail: boolean, signal: AbortSignal): Promise<void> {
  console.log(`Task ${name}: Starting...`);
  try {
    await sleep(duration, signal);
  } catch (error) {
    if (isAbortError(error)) console.log(`Task ${name}: cancelled by the group`);
    throw error;
  }
  if (shouldFail) {
    console.log(`Task ${name}: Intentionally failing!`);
    throw new ValueError(`Error in ${name}`);
  }
  console.log(`Task ${name}: Completed successfully.`);
}

async function partH(): Promise<void> {
  try {
    await taskGroup((tg) => {
      tg.spawn('Alpha', (s) => workerTask('Alpha', 0.5, true, s));
      tg.spawn('Beta', (s) => workerTask('Beta', 1.0, false, s));
      tg.spawn('Gamma', (s) => workerTask('Gamma', 1.5, false, s));
    });
  } catch (error) {
    if (!(error instanceof AggregateError)) throw error;
    console.log(`\nCaught an AggregateError: ${pyRepr(error.errors)}`);
    for (const exc of error.errors as Error[]) console.log(`  - ${exc.name}: ${exc.message}`);
  }
}

// --- I. Challenge 1: three downloads with gather, one cancelled midway ------------------------------------------------
async function partI(): Promise<void> {
  const files: [string, number][] = [
    ['report.pdf', 1.5],
    ['video.mp4', 2.0],
    ['photo.jpg', 0.8],
  ];
  const tasks = files.map(([name, delay]) => createTask(name, (signal) => downloadFile(name, delay, signal)));
  const video = tasks[1]!;
  const canceller = (async () => {
    await sleep(1.0); // halfway through video.mp4
    video.cancel();
  })();
  // allSettled is gather(return_exceptions=True): one cancelled download does not lose the others' results.
  const results = await Promise.allSettled(tasks.map((t) => t.promise));
  await canceller;
  results.forEach((r, i) => {
    const name = files[i]![0];
    console.log(`  ${name}: ${r.status === 'fulfilled' ? 'downloaded' : isAbortError(r.reason) ? 'cancelled' : 'failed'}`);
  });
}

// --- J. Lab exercise 2: create, monitor, cancel after timeout ------------------------------------------------------
async function backgroundWorker(name: string, duration: number, signal: AbortSignal): Promise<string> {
  try {
    await sleep(duration, signal);
    return `${name} finished after ${duration}s`;
  } finally {
    // lifecycle cleanup runs whether the worker finished or was cancelled
    if (signal.aborted) console.log(`  ${name}: cancelled, cleaned up`);
  }
}

function createMultipleTasks(count: number): Task<string>[] {
  return Array.from({ length: count }, (_, i) => {
    const duration = Math.round((0.3 + 0.4 * i) * 10) / 10;
    return createTask(`worker_${i}`, (signal) => backgroundWorker(`worker_${i}`, duration, signal));
  });
}

async function monitorTasks(tasks: Task<string>[]): Promise<void> {
  const elapsed = stopwatch();
  let done = 0;
  for await (const result of asCompleted(tasks.map((t) => t.promise))) {
    done++;
    console.log(`  monitor: ${result} (${done}/${tasks.length} done, ${elapsed().toFixed(2)}s)`);
  }
  console.log(`  monitor: all ${tasks.length} tasks done, states: ${tasks.map((t) => t.state).join(', ')}`);
}

async function cancelTasksAfterTimeout(tasks: Task<string>[], timeout: number): Promise<void> {
  const all = Promise.allSettled(tasks.map((t) => t.promise));
  const timedOut = await Promise.race([all.then(() => false), sleep(timeout).then(() => true)]);
  if (timedOut) {
    const running = tasks.filter((t) => !t.done);
    console.log(`  timeout after ${timeout}s: cancelling ${running.length} unfinished tasks`);
    for (const t of running) t.cancel();
  }
  const results = await all;
  results.forEach((r, i) => {
    const t = tasks[i]!;
    console.log(`  ${t.name}: ${t.state}${r.status === 'fulfilled' ? ` (${r.value})` : ''}`);
  });
}

async function partJ(): Promise<void> {
  console.log('Monitoring 5 tasks:');
  await monitorTasks(createMultipleTasks(5));
  console.log('Cancelling 3 tasks after 1.5s:');
  const tasks = [1, 2, 3].map((d, i) => createTask(`worker_${i}`, (signal) => backgroundWorker(`worker_${i}`, d, signal)));
  await cancelTasksAfterTimeout(tasks, 1.5);
}

const parts: [string, () => Promise<void>][] = [
  ['A. create_task', partA],
  ['B. Future', partB],
  ['C. Coroutine to task', partC],
  ['D. Cancelling a task', partD],
  ['E. gather', partE],
  ['F. First completed', partF],
  ['G. TaskGroup', partG],
  ['H. TaskGroup with a failing task', partH],
  ['I. Cancel one download midway', partI],
  ['J. Lab exercise 2: create, monitor, cancel after timeout', partJ],
];
for (const [title, run] of parts) {
  console.log(`\n== ${title} ==`);
  await run();
}
