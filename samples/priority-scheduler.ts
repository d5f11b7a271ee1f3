// Seed 000, Exercise 5: Task Scheduler with Priorities.
// Three HIGH tasks (1-2 s each, drawn from SAMPLE_SEED) run at the same time; only when all of
// them are done do the five LOW tasks (2-4 s each) start, again all at once. Completions are
// reported as they happen with asCompleted (the TypeScript asyncio.as_completed).
// Timeline: processPriorityBatch("high") with three overlapping processTask tasks, then
// processPriorityBatch("low") with five overlapping ones; no LOW task starts before the last
// HIGH task ends. Total time = longest HIGH + longest LOW.
import { random, sleep } from './lib/env.js';
import { asCompleted, runMain, stopwatch } from './lib/course.js';

type Priority = 'high' | 'low';
type TaskSpec = [taskId: string, duration: number, priority: Priority];
interface TaskResult {
  taskId: string;
  priority: Priority;
  planned: number;
  taken: number;
}

async function processTask(taskId: string, duration: number, priority: Priority): Promise<TaskResult> {
  console.log(`Starting ${taskId} (${duration.toFixed(1)}s)`);
  const elapsed = stopwatch();
  await sleep(duration);
  return { taskId, priority, planned: duration, taken: elapsed() };
}

async function processPriorityBatch(tasks: TaskSpec[], priority: Priority): Promise<TaskResult[]> {
  console.log(`\n[${priority.toUpperCase()} PRIORITY BATCH]`);
  const elapsed = stopwatch();
  const running = tasks.map(([taskId, duration]) => processTask(taskId, duration, priority));
  const completed: TaskResult[] = [];
  for await (const result of asCompleted(running)) {
    console.log(`✓ ${result.taskId} completed (${result.taken.toFixed(1)}s)`);
    completed.push(result);
  }
  const label = priority === 'high' ? 'High' : 'Low';
  console.log(`${label} priority batch completed in ${elapsed().toFixed(1)}s`);
  return completed;
}

async function taskScheduler(): Promise<void> {
  const rng = random();
  const uniform = (low: number, high: number): number => low + (high - low) * rng();
  const highPriorityTasks: TaskSpec[] = [1, 2, 3].map((i) => [`HIGH-${i}`, uniform(1, 2), 'high']);
  const lowPriorityTasks: TaskSpec[] = [1, 2, 3, 4, 5].map((i) => [`LOW-${i}`, uniform(2, 4), 'low']);

  console.log('=== Task Scheduler Started ===');
  const elapsed = stopwatch();
  const high = await processPriorityBatch(highPriorityTasks, 'high');
  const low = await processPriorityBatch(lowPriorityTasks, 'low');
  const total = elapsed();

  const average = (results: TaskResult[]): number =>
    results.reduce((sum, r) => sum + r.taken, 0) / results.length;
  console.log('\n=== Scheduler Summary ===');
  console.log(`Total tasks: ${high.length + low.length}`);
  console.log(`Total time: ${total.toFixed(1)} seconds`);
  console.log(`High priority avg: ${average(high).toFixed(1)}s`);
  console.log(`Low priority avg: ${average(low).toFixed(1)}s`);
  console.log(`Completion order: ${[...high, ...low].map((r) => r.taskId).join(', ')}`);
}

runMain(taskScheduler);
