// The model's object view: `tasks`, `taskById` and `resources` as plain objects, for consumers
// that look at a few tasks (tests, a command printing one task and its children). Built on first
// use only: a trace of ten million events has millions of tasks, and the analyses read the columns.
import {
  OUTCOME_OF_CODE,
  SEGMENT_RUN,
  type Resource,
  type Segment,
  type Task,
  type TraceModel,
} from './types.js';

type ColumnsOnly = Omit<TraceModel, 'tasks' | 'taskById' | 'resources'>;

/** The task at column index `t` as an object. */
export function taskObject(model: ColumnsOnly, t: number): Task {
  const T = model.columns.tasks;
  const S = model.columns.segments;
  const R = model.columns.resources;
  const fn = T.fn[t]!;
  const segments: Segment[] = [];
  for (let s = T.segOff[t]!; s < T.segOff[t + 1]!; s++) {
    segments.push({ kind: S.kind[s] === SEGMENT_RUN ? 'run' : 'wait', startMs: S.start[s]!, endMs: S.end[s]!, line: S.line[s]!, startSeq: S.startSeq[s]!, endSeq: S.endSeq[s]! });
  }
  const children: number[] = [];
  for (let k = T.childOff[t]!; k < T.childOff[t + 1]!; k++) children.push(T.id[T.children[k]!]!);
  const resources: number[] = [];
  for (let k = T.resOff[t]!; k < T.resOff[t + 1]!; k++) resources.push(R.id[T.resources[k]!]!);
  const parent = T.parent[t]!;
  const end = T.end[t]!;
  return {
    id: T.id[t]!,
    parentId: parent >= 0 ? T.id[parent]! : null,
    name: model.functions.name[fn]!,
    file: model.functions.file[fn]!,
    line: model.functions.line[fn]!,
    kind: model.functions.kind[fn]!,
    startMs: T.start[t]!,
    endMs: Number.isNaN(end) ? null : end,
    startSeq: T.startSeq[t]!,
    endSeq: T.endSeq[t]! < 0 ? null : T.endSeq[t]!,
    outcome: OUTCOME_OF_CODE[T.outcome[t]!]!,
    runMs: T.runMs[t]!,
    waitMs: T.waitMs[t]!,
    segments,
    children,
    resources,
  };
}

export function resourceObject(model: ColumnsOnly, r: number): Resource {
  const R = model.columns.resources;
  const T = model.columns.tasks;
  const end = R.end[r]!;
  return {
    id: R.id[r]!,
    type: R.typeName(r),
    taskId: R.task[r]! >= 0 ? T.id[R.task[r]!]! : null,
    createdMs: R.created[r]!,
    callbacksMs: Array.from(R.callbacks.subarray(R.cbOff[r]!, R.cbOff[r + 1]!)),
    endMs: Number.isNaN(end) ? null : end,
  };
}

/**
 * A model built from columns, with the lazy object view. A class, so that the model keeps one
 * shape: the analyses read its fields in their inner loops.
 */
class ColumnarModel implements TraceModel {
  tracePath!: string;
  script!: string;
  args!: string[];
  cwd!: string;
  node!: string;
  platform!: string;
  startEpochMs!: number;
  recordedBlockingThresholdMs!: number;
  samplingIntervalUs!: number;
  lagIntervalMs!: number;
  profilerDir!: string;
  exitCode!: number | null;
  signal!: string | null;
  complete!: boolean;
  wallMs!: number;
  eventCount!: number;
  functions!: TraceModel['functions'];
  routeNames!: string[];
  columns!: TraceModel['columns'];
  lag!: TraceModel['lag'];
  sched!: TraceModel['sched'];
  recordedElu!: number | null;
  eventTimes!: Float64Array;
  runningIntervals!: Float64Array;
  functionRanges!: Map<string, Map<number, number>>;
  errors!: TraceModel['errors'];
  marks!: TraceModel['marks'];
  dropped!: number;
  warnings!: string[];
  threadId!: number;
  pid!: number;
  notNode!: boolean;
  ownZeroMs!: number;
  threads!: TraceModel[];
  processes!: TraceModel[];
  #tasks: Task[] | undefined;
  #resources: Resource[] | undefined;
  #byId = new Map<number, Task | undefined>();
  #taskById: (Task | undefined)[] | undefined;

  constructor(fields: ColumnsOnly) {
    Object.assign(this, fields);
  }

  get tasks(): readonly Task[] {
    if (!this.#tasks) {
      const T = this.columns.tasks;
      const tasks: Task[] = [];
      for (let t = 0; t < T.count; t++) {
        const id = T.id[t]!;
        // One object per task whichever way it was reached first.
        const current = T.indexOfId(id) === t;
        const task = (current ? this.#byId.get(id) : undefined) ?? taskObject(this, t);
        if (current) this.#byId.set(id, task);
        tasks.push(task);
      }
      this.#tasks = tasks;
    }
    return this.#tasks;
  }

  /** taskById[id] materialises only that task (a command may look at one task of millions). */
  get taskById(): readonly (Task | undefined)[] {
    if (!this.#taskById) {
      const T = this.columns.tasks;
      const byId = this.#byId;
      const model = this;
      this.#taskById = new Proxy([] as (Task | undefined)[], {
        get(target, key, receiver) {
          if (typeof key === 'string' && /^\d+$/.test(key)) {
            const id = Number(key);
            if (byId.has(id)) return byId.get(id);
            const t = T.indexOfId(id);
            const task = t >= 0 ? taskObject(model, t) : undefined;
            byId.set(id, task);
            return task;
          }
          if (key === 'length') return T.count > 0 ? T.id[T.count - 1]! + 1 : 1;
          return Reflect.get(target, key, receiver);
        },
      });
    }
    return this.#taskById;
  }

  get resources(): readonly Resource[] {
    if (!this.#resources) {
      const resources: Resource[] = [];
      for (let r = 0; r < this.columns.resources.count; r++) resources.push(resourceObject(this, r));
      this.#resources = resources;
    }
    return this.#resources;
  }
}

/** Adds the lazy object view to a model built from columns. */
export function objectView(fields: ColumnsOnly): TraceModel {
  return new ColumnarModel(fields);
}
