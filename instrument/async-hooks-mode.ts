// `async-prof run --hooks`: code the transform never sees (compiled by a loader of the program's
// own through vm or eval, or left uninstrumented) still shows what it does. Every async resource
// Node creates (promises, timers, I/O requests, sockets) becomes a task of the trace through
// async_hooks: it starts waiting where it is created, runs while its callbacks run, and ends when
// a promise resolves or the resource is destroyed. Tasks are named by the resource's type, and
// a timer's or an immediate's by its callback too, the only cheap name there is (a stack trace
// per promise costs about 75 times the program's own time: design notes). The cost is
// async_hooks' own, 2-5x on promise-heavy code (`npm run bench` prints it); it is opt-in.
import { createHook } from 'node:async_hooks';
import { offerHooksPromise, recorder, runtime } from './runtime.js';
import type { ModuleTable } from './transform.js';

const HOOKS_FILE = '(async_hooks)';

export function recordThroughAsyncHooks(options: {
  allocateIds(count: number): number;
  announce(table: ModuleTable): void;
  /** Resources of the profiler's own (its timers), left out. */
  isOwn(resource: object): boolean;
}): void {
  const functionIds = new Map<string, number>();
  const taskOf = new Map<number, number>();
  const functionFor = (name: string): number => {
    let id = functionIds.get(name);
    if (id === undefined) {
      id = options.allocateIds(1);
      functionIds.set(name, id);
      options.announce({ file: HOOKS_FILE, firstId: id, functions: [name, 0, 0], ranges: [] });
    }
    return id;
  };
  const nameOf = (type: string, resource: object): string => {
    const callback = (resource as { _onTimeout?: unknown; _onImmediate?: unknown })._onTimeout ?? (resource as { _onImmediate?: unknown })._onImmediate;
    const callbackName = typeof callback === 'function' ? callback.name : '';
    return callbackName ? `${type} ${callbackName}` : type;
  };
  // A promise an instrumented async function claimed (runtime.ts, claimHooksPromise): its task is
  // that call's; nothing more is recorded for it here.
  const claimed = new Set<number>();
  /** The tasks made here, apart from the transform's. */
  const ours = new Set<number>();
  const onClaimed = (task: number) => claimed.add(task);
  const end = (asyncId: number) => {
    const task = taskOf.get(asyncId);
    if (task === undefined) return;
    taskOf.delete(asyncId);
    ours.delete(task);
    if (claimed.delete(task)) return;
    runtime.x(task, 1, undefined);
  };
  createHook({
    init(asyncId, type, _triggerAsyncId, resource) {
      if (options.isOwn(resource)) return;
      // Promises made inside an instrumented task (an await's, or one it waits on) are that
      // task's waits already.
      const current = recorder.currentTask();
      if (type === 'PROMISE' && current !== 0 && !ours.has(current)) return;
      offerHooksPromise(0, onClaimed);
      const task = runtime.e(functionFor(nameOf(type, resource)));
      ours.add(task);
      // Created now, waiting until its callbacks run.
      runtime.s(task, 0, undefined);
      taskOf.set(asyncId, task);
      if (type === 'PROMISE') offerHooksPromise(task, onClaimed);
    },
    before(asyncId) {
      const task = taskOf.get(asyncId);
      if (task !== undefined && !claimed.has(task)) runtime.r(task, undefined);
    },
    after(asyncId) {
      const task = taskOf.get(asyncId);
      if (task !== undefined && !claimed.has(task)) runtime.s(task, 0, undefined);
    },
    promiseResolve: end,
    destroy: end,
  }).enable();
}
