// Seed 003 (practice exercises) Exercise 2 "Creating and Managing Tasks": a task manager with priorities, a cap on
// concurrent tasks and a timeout that cancels whatever is still running.
// p-queue does the scheduling (priority + concurrency), the way a TypeScript project would; cancellation is an
// AbortSignal handed to each task.
//
// Timeline:
//   run 1 (max 2 concurrent): never more than two bars at once, started in priority order — Critical (0.2 s) and
//   High (0.15 s) first, then Medium, Low and Another Low as slots free up; 0.3 s in all.
//   run 2 (0.3 s timeout): Email and Report finish; Backup and Index rebuild are cut at 0.3 s.
import PQueue from 'p-queue';
import { sleep } from './lib/env.js';
import { isAbortError, stopwatch } from './lib/b-async.js';

type TaskStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';

interface Task {
  id: number;
  name: string;
  duration: number;
  priority: number;
  status: TaskStatus;
  result?: string;
  error?: string;
  startedAt?: number;
  completedAt?: number;
}

class TaskManager {
  readonly tasks: Task[] = [];
  readonly #clock = stopwatch();

  constructor(readonly maxConcurrent = 3) {}

  addTask(task: Omit<Task, 'status'>): void {
    this.tasks.push({ ...task, status: 'pending' });
  }

  async #executeTask(task: Task, signal?: AbortSignal): Promise<string> {
    task.status = 'running';
    task.startedAt = this.#clock();
    console.log(`  [START] ${task.name} (Priority: ${task.priority})`);
    try {
      await sleep(task.duration, signal); // simulate work
      task.status = 'completed';
      task.result = `Result from ${task.name}`;
      task.completedAt = this.#clock();
      console.log(`  [DONE] ${task.name} completed in ${task.duration}s`);
      return task.result;
    } catch (error) {
      task.completedAt = this.#clock();
      if (isAbortError(error)) {
        task.status = 'cancelled';
        console.log(`  [CANCELLED] ${task.name}`);
      } else {
        task.status = 'failed';
        task.error = String(error);
        console.log(`  [ERROR] ${task.name}: ${task.error}`);
      }
      throw error;
    }
  }

  /** Runs every task, highest priority first, at most `maxConcurrent` at a time. */
  async runAll(signal?: AbortSignal): Promise<Task[]> {
    // Queue everything before starting, so the first slots go to the highest priorities, not the first added.
    const queue = new PQueue({ concurrency: this.maxConcurrent, autoStart: false });
    const runs = this.tasks.map((task) =>
      queue.add(({ signal: s }) => this.#executeTask(task, s), { priority: task.priority, signal }),
    );
    queue.start();
    const settled = await Promise.allSettled(runs); // gather(return_exceptions=True)
    settled.forEach((r, i) => {
      const task = this.tasks[i]!;
      if (r.status === 'rejected' && task.status === 'pending') task.status = 'cancelled'; // removed from the queue before it started
    });
    return this.tasks;
  }

  /** Runs all tasks, cancelling whatever has not finished after `timeout` course seconds. */
  async runWithTimeout(timeout: number): Promise<Task[]> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = sleep(timeout, controller.signal).then(
      () => {
        timedOut = true;
        console.log(`\n  [TIMEOUT] Tasks did not complete within ${timeout}s`);
        controller.abort();
      },
      () => {}, // everything finished first and the timer was cancelled
    );
    await this.runAll(controller.signal);
    if (!timedOut) controller.abort();
    await timer;
    return this.tasks;
  }
}

function printSummary(tasks: Task[]): void {
  console.log('\nTask Summary:');
  console.log('-'.repeat(60));
  for (const task of [...tasks].sort((a, b) => b.priority - a.priority)) {
    const duration = task.startedAt !== undefined && task.completedAt !== undefined ? task.completedAt - task.startedAt : 0;
    console.log(`  ${task.name}: ${task.status} (${duration.toFixed(3)}s)`);
  }
}

async function main(): Promise<void> {
  console.log('='.repeat(60));
  console.log('TASK MANAGEMENT DEMONSTRATION');
  console.log('='.repeat(60));

  const manager = new TaskManager(2);
  const tasksData: [number, string, number, number][] = [
    [1, 'Low Priority Task', 0.1, 1],
    [2, 'High Priority Task', 0.15, 5],
    [3, 'Medium Priority Task', 0.1, 3],
    [4, 'Another Low Task', 0.05, 1],
    [5, 'Critical Task', 0.2, 10],
  ];
  for (const [id, name, duration, priority] of tasksData) manager.addTask({ id, name, duration, priority });

  console.log('\nRunning tasks with max 2 concurrent...');
  const elapsed = stopwatch();
  const completed = await manager.runAll();
  console.log(`\nTotal time: ${elapsed().toFixed(3)}s`);
  printSummary(completed);

  console.log('\nRunning tasks with max 2 concurrent and a 0.3s timeout...');
  const timed = new TaskManager(2);
  const moreTasks: [number, string, number, number][] = [
    [1, 'Backup', 0.5, 2],
    [2, 'Report', 0.1, 5],
    [3, 'Email', 0.05, 8],
    [4, 'Index rebuild', 1.0, 1],
  ];
  for (const [id, name, duration, priority] of moreTasks) timed.addTask({ id, name, duration, priority });
  const elapsed2 = stopwatch();
  printSummary(await timed.runWithTimeout(0.3));
  console.log(`\nTotal time: ${elapsed2().toFixed(3)}s`);
}

await main();
