// Critical path: the chain of awaited children, resources and blocking stretches that decided
// when a task (or the whole run) ended. It is found walking back from the end: the task's last
// run; before it the wait that run followed, and what ended that wait (waits.ts): an awaited
// child (the path goes into the child, down to its start, then back in the parent at the
// moment the child was started), a timer or I/O callback of the task's own (the path covers the
// resource from its creation), or nothing the trace shows (the wait itself is on the path). A
// blocking stretch that kept the task from running, or that ran inside the task, is on the path
// as such.
//
// Its length is what the task could take with unlimited concurrency and the same code: the
// parent's own running while an awaited child was already under way is not on the path, so
// lengthMs <= the task's duration; a phase whose wall time is close to it is as fast as its
// structure allows, and a faster one needs different code (see the hints).
//
// Pure and browser-safe. API:
//   criticalPath(model, taskId | null): CriticalPath    one task's path, or the whole run's (null)
//   criticalPathLengths(model): Map<taskId, lengthMs>   every task's, cheaply (cached)
//   bottlenecks(model, path, limit?): Bottleneck[]       where the path's time went, biggest first
//   firstStep(model, taskId, skip): CriticalStep         the first step not of the kinds in skip
import type { Task, TraceModel } from '../model/types.js';
import { explainWait, TICK_MS, RESUME_TOLERANCE_MS, waitIndex } from './waits.js';

export type StepKind =
  /** The task was running (its own code, on the loop). */
  | 'run'
  /** A blocking stretch (the task's own code, or another's that kept the task from resuming). */
  | 'blocking'
  /** The task waited for a timer or an I/O operation it started. */
  | 'resource'
  /** The task waited for something the trace does not show (a stream, a lock, another task's promise). */
  | 'wait'
  /** The task was ready to go on but the loop was busy running other tasks. */
  | 'delay'
  /** Outside any task: the script's start-up before the first task, and the exit after the last. */
  | 'script';

export interface CriticalStep {
  kind: StepKind;
  /** The task on the path during the step (null for 'script'). */
  taskId: number | null;
  startMs: number;
  endMs: number;
  /** The task's file and line: the await line for waits, where the run started for runs; the stretch's own for blocking. */
  file: string;
  line: number;
  resourceId?: number;
  resourceType?: string;
  /** For 'blocking': the function of the stretch and its index in model.blocking. */
  function?: string;
  blockingIndex?: number;
}

export interface CriticalPath {
  /** The task whose end the path explains (null: the whole run). */
  taskId: number | null;
  startMs: number;
  endMs: number;
  /** Sum of the steps: what the task could take with unlimited concurrency. */
  lengthMs: number;
  /** The tasks the path goes through, outermost first. */
  taskIds: number[];
  /** In time order; they do not overlap. */
  steps: CriticalStep[];
}

type Item = CriticalStep | { child: number };

interface Node {
  /** In time order. */
  items: Item[];
  ownMs: number;
}

interface Cache {
  nodes: Map<number, Node>;
  lengths: Map<number, number>;
}

const caches = new WeakMap<TraceModel, Cache>();

function cacheOf(model: TraceModel): Cache {
  let cache = caches.get(model);
  if (!cache) caches.set(model, (cache = { nodes: new Map(), lengths: new Map() }));
  return cache;
}

/** The steps of one task's own part of the path, with references to the awaited children. */
function nodeOf(model: TraceModel, task: Task): Node {
  const cache = cacheOf(model);
  const cached = cache.nodes.get(task.id);
  if (cached) return cached;
  const backward: Item[] = [];
  let ownMs = 0;
  const add = (kind: StepKind, startMs: number, endMs: number, line: number, extra: Partial<CriticalStep> = {}) => {
    for (const piece of carveBlocking(model, { kind, taskId: task.id, startMs, endMs, file: task.file, line, ...extra }).reverse()) {
      backward.push(piece);
      ownMs += piece.endMs - piece.startMs;
    }
  };

  const segments = task.segments;
  let cursor = task.endMs ?? model.wallMs;
  let i = segments.length - 1;
  let guard = segments.length * 4 + 16;
  while (cursor > task.startMs && i >= 0 && guard-- > 0) {
    const seg = segments[i]!;
    if (seg.startMs >= cursor) {
      i--;
      continue;
    }
    const end = Math.min(seg.endMs, cursor);
    if (seg.kind === 'run') {
      add('run', seg.startMs, end, seg.line);
      cursor = seg.startMs;
      i--;
      continue;
    }
    const { resumer } = explainWait(model, task, seg.startMs, end, seg);
    if (resumer?.kind === 'task') {
      const child = model.taskById[resumer.taskId]!;
      if (child.startMs < end && child.startMs >= task.startMs - TICK_MS) {
        const childEnd = Math.min(Math.max(child.endMs ?? end, child.startMs), end);
        add('delay', childEnd, end, seg.line);
        backward.push({ child: child.id });
        cursor = Math.max(child.startMs, task.startMs);
        continue;
      }
    } else if (resumer?.kind === 'resource') {
      const since = Math.max(resumer.sinceMs, task.startMs);
      if (since < end) {
        const at = Math.min(Math.max(resumer.atMs, since), end);
        const resource = waitIndex(model).resourceById.get(resumer.resourceId);
        add('delay', at, end, seg.line);
        add('resource', since, at, seg.line, { resourceId: resumer.resourceId, resourceType: resource?.type ?? 'unknown' });
        cursor = since;
        continue;
      }
    }
    add('wait', seg.startMs, end, seg.line);
    cursor = seg.startMs;
    i--;
  }
  if (cursor > task.startMs) add('wait', task.startMs, cursor, task.line);
  const node: Node = { items: backward.reverse(), ownMs };
  cache.nodes.set(task.id, node);
  return node;
}

/**
 * Splits a step where blocking stretches overlap it. Inside a run every overlap is the task's
 * own blocking; in a wait or a delay only a stretch ending where the step ends held the task up.
 */
function carveBlocking(model: TraceModel, step: CriticalStep): CriticalStep[] {
  if (step.endMs - step.startMs <= 0) return [];
  const pieces: CriticalStep[] = [];
  let at = step.startMs;
  const blocking = model.blocking;
  for (let index = 0; index < blocking.length; index++) {
    const b = blocking[index]!;
    if (b.startMs >= step.endMs) break; // sorted by start
    const bEnd = b.startMs + b.durationMs;
    if (bEnd <= at) continue;
    const holdsUp = step.kind === 'run' || step.kind === 'delay' || Math.abs(bEnd - step.endMs) <= RESUME_TOLERANCE_MS;
    if (!holdsUp) continue;
    const from = Math.max(at, b.startMs);
    const to = Math.min(step.endMs, bEnd);
    if (from > at) pieces.push({ ...step, startMs: at, endMs: from });
    pieces.push({ kind: 'blocking', taskId: step.taskId, startMs: from, endMs: to, file: b.file, line: b.line, function: b.function, blockingIndex: index });
    at = to;
  }
  if (at < step.endMs) pieces.push({ ...step, startMs: at, endMs: step.endMs });
  return pieces.filter((p) => p.endMs > p.startMs);
}

/** Length of a task's critical path (children's included), without recursion. */
function lengthOf(model: TraceModel, taskId: number): number {
  const { lengths } = cacheOf(model);
  const known = lengths.get(taskId);
  if (known !== undefined) return known;
  const stack: { id: number; expanded: boolean }[] = [{ id: taskId, expanded: false }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (lengths.has(top.id)) {
      stack.pop();
      continue;
    }
    const node = nodeOf(model, model.taskById[top.id]!);
    const children = node.items.filter((it): it is { child: number } => 'child' in it).map((it) => it.child);
    if (!top.expanded) {
      top.expanded = true;
      for (const c of children) if (!lengths.has(c)) stack.push({ id: c, expanded: false });
      continue;
    }
    lengths.set(top.id, node.ownMs + children.reduce((sum, c) => sum + lengths.get(c)!, 0));
    stack.pop();
  }
  return lengths.get(taskId)!;
}

/** Every task's critical-path length (ms). */
export function criticalPathLengths(model: TraceModel): Map<number, number> {
  for (const t of model.tasks) lengthOf(model, t.id);
  return new Map(cacheOf(model).lengths);
}

/** The steps of a task's path, children expanded in place, without recursion. */
function flatten(model: TraceModel, taskId: number, steps: CriticalStep[], taskIds: number[]): void {
  const stack: { items: Item[]; next: number }[] = [{ items: nodeOf(model, model.taskById[taskId]!).items, next: 0 }];
  taskIds.push(taskId);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next >= top.items.length) {
      stack.pop();
      continue;
    }
    const item = top.items[top.next++]!;
    if ('child' in item) {
      taskIds.push(item.child);
      stack.push({ items: nodeOf(model, model.taskById[item.child]!).items, next: 0 });
    } else {
      // Consecutive pieces of the same kind, task and line read as one (a for-await loop's waits).
      const previous = steps[steps.length - 1];
      if (
        previous &&
        previous.kind === item.kind &&
        previous.taskId === item.taskId &&
        previous.line === item.line &&
        previous.file === item.file &&
        previous.resourceId === item.resourceId &&
        previous.blockingIndex === item.blockingIndex &&
        Math.abs(previous.endMs - item.startMs) < 1e-6
      ) {
        steps[steps.length - 1] = { ...previous, endMs: item.endMs };
      } else steps.push(item);
    }
  }
}

/** The first step of a task's path whose kind is not in `skip`, without building the whole path. */
export function firstStep(model: TraceModel, taskId: number, skip: ReadonlySet<StepKind>): CriticalStep | undefined {
  const stack: { items: Item[]; next: number }[] = [{ items: nodeOf(model, model.taskById[taskId]!).items, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next >= top.items.length) {
      stack.pop();
      continue;
    }
    const item = top.items[top.next++]!;
    if ('child' in item) stack.push({ items: nodeOf(model, model.taskById[item.child]!).items, next: 0 });
    else if (!skip.has(item.kind)) return item;
  }
  return undefined;
}

export function criticalPath(model: TraceModel, taskId: number | null): CriticalPath {
  if (taskId !== null) {
    const task = model.taskById[taskId];
    if (!task) throw new RangeError(`no task #${taskId}`);
    const steps: CriticalStep[] = [];
    const taskIds: number[] = [];
    flatten(model, taskId, steps, taskIds);
    return { taskId, startMs: task.startMs, endMs: task.endMs ?? model.wallMs, lengthMs: lengthOf(model, taskId), taskIds, steps };
  }
  return runCriticalPath(model);
}

/** The whole run: start-up, the top-level task that ended last, and what kept the process alive after it. */
function runCriticalPath(model: TraceModel): CriticalPath {
  let last: Task | undefined;
  for (const t of model.tasks) {
    if (t.parentId !== null || t.endMs === null) continue;
    if (!last || t.endMs > last.endMs! || (t.endMs === last.endMs && t.startMs < last.startMs)) last = t;
  }
  const steps: CriticalStep[] = [];
  const taskIds: number[] = [];
  const script = (startMs: number, endMs: number) => {
    if (endMs > startMs) steps.push({ kind: 'script', taskId: null, startMs, endMs, file: model.script, line: 0 });
  };
  if (!last) {
    script(0, model.wallMs);
  } else {
    // Before it: top-level tasks the script's own code awaited one after another (its awaits are
    // not in the trace): each ended in the tick the next one started.
    const topLevel = model.tasks.filter((t) => t.parentId === null && t.endMs !== null && t.id !== last!.id).sort((a, b) => a.endMs! - b.endMs!);
    const chain: Task[] = [last];
    for (let cursor = last.startMs, guard = topLevel.length; guard-- > 0; ) {
      let lo = 0;
      let hi = topLevel.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (topLevel[mid]!.endMs! <= cursor + TICK_MS) lo = mid + 1;
        else hi = mid;
      }
      const before = topLevel[lo - 1];
      if (!before || before.startMs >= cursor || cursor - before.endMs! > TICK_MS) break;
      chain.unshift(before);
      cursor = before.startMs;
    }
    script(0, chain[0]!.startMs);
    chain.forEach((t, i) => {
      if (i > 0) script(chain[i - 1]!.endMs!, t.startMs);
      flatten(model, t.id, steps, taskIds);
    });
    // After the last task: a timer or I/O callback that came later kept the process alive.
    let latest: { atMs: number; sinceMs: number; id: number; type: string; taskId: number | null } | undefined;
    for (const r of model.resources) {
      let previous = r.createdMs;
      for (const at of r.callbacksMs) {
        if (at > last.endMs! + RESUME_TOLERANCE_MS && at <= model.wallMs + TICK_MS && (!latest || at > latest.atMs)) {
          latest = { atMs: at, sinceMs: previous, id: r.id, type: r.type, taskId: r.taskId };
        }
        previous = at;
      }
    }
    if (latest) {
      const owner = latest.taskId !== null ? model.taskById[latest.taskId] : undefined;
      const from = Math.max(last.endMs!, latest.sinceMs);
      script(last.endMs!, from);
      steps.push({
        kind: 'resource',
        taskId: latest.taskId,
        startMs: from,
        endMs: Math.min(latest.atMs, model.wallMs),
        file: owner?.file ?? model.script,
        line: owner ? lineAt(owner, latest.sinceMs) : 0,
        resourceId: latest.id,
        resourceType: latest.type,
      });
      script(Math.min(latest.atMs, model.wallMs), model.wallMs);
    } else script(last.endMs!, model.wallMs);
  }
  // Nothing of the run's path lies before time zero, not even a task stamped a hair earlier by a
  // clock word that trailed it (traces recorded before the preload moved the word at time zero).
  const inRun = steps.flatMap((s) => (s.endMs <= 0 ? [] : s.startMs < 0 ? [{ ...s, startMs: 0 }] : [s]));
  const lengthMs = inRun.reduce((sum, s) => sum + (s.endMs - s.startMs), 0);
  return { taskId: null, startMs: 0, endMs: model.wallMs, lengthMs, taskIds, steps: inRun };
}

/**
 * The line of `task` in effect at `atMs`: the await it was at (or next reached) for a wait,
 * or the line of the await that follows a run (where a promise created in it is awaited).
 */
export function lineAt(task: Task, atMs: number): number {
  const segments = task.segments;
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    if (s.endMs < atMs - TICK_MS) continue;
    if (s.kind === 'wait') return s.line;
    const next = segments[i + 1];
    return next && next.kind === 'wait' ? next.line : s.line;
  }
  return task.line;
}

export interface Bottleneck {
  kind: StepKind;
  /** One line for people, e.g. "setTimeout awaited by station (samples/restaurant.ts:18)". */
  label: string;
  taskName: string | null;
  file: string;
  line: number;
  /** Time on the path. */
  ms: number;
  /** ms / the run's wall time. */
  share: number;
  /** Steps merged into this entry. */
  steps: number;
}

/** Where the path's time went, grouped by what and where, biggest first. */
export function bottlenecks(model: TraceModel, path: CriticalPath, limit = 5): Bottleneck[] {
  const groups = new Map<string, Bottleneck>();
  for (const step of path.steps) {
    const task = step.taskId !== null ? model.taskById[step.taskId] : undefined;
    const name = task?.name ?? null;
    const where = `${step.file}:${step.line}`;
    let label: string;
    switch (step.kind) {
      case 'run':
        label = `${name} running (${where})`;
        break;
      case 'blocking':
        label = `${step.function ?? '?'} blocking the loop (${where})`;
        break;
      case 'resource':
        label = `${step.resourceType} awaited by ${name ?? 'the script'} (${where})`;
        break;
      case 'wait':
        label = `${name} waiting (${where})`;
        break;
      case 'delay':
        label = `${name} ready but the loop was busy (${where})`;
        break;
      default:
        label = 'outside any task (start-up, exit)';
    }
    const key = `${step.kind}\0${label}`;
    let entry = groups.get(key);
    if (!entry) {
      entry = { kind: step.kind, label, taskName: name, file: step.file, line: step.line, ms: 0, share: 0, steps: 0 };
      groups.set(key, entry);
    }
    entry.ms += step.endMs - step.startMs;
    entry.steps++;
  }
  const wall = model.wallMs > 0 ? model.wallMs : 1;
  return [...groups.values()]
    .map((b) => ({ ...b, share: b.ms / wall }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, limit);
}
