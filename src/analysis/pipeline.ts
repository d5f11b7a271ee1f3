// The analysis pipeline: every pass over the model, in order, each with its own work budget.
// A pass that goes over its budget stops; the analysis says in one line what was cut short and
// why (model.warnings, so every output shows it), and everything else is still computed. Passes
// that need a pass that was cut short are skipped with their own line.
//
// The model only replays events; what is analysed, and with which parameters (the blocking
// threshold), is decided here: analyse(model, options). Everything that reads analyses (the
// report, the view model, compare, CI) asks analysisOf(model), which is the analysis last run
// on that model, or one with the defaults.
import { answerWaits, type AnswerWait } from './answer-waits.js';
import type { TraceModel } from '../model/types.js';
import { findBlocking } from './blocking.js';
import { concurrencyFigures } from './concurrency.js';
import { criticalPaths, pathContext, runCriticalPath, type CompactPath, type CriticalPaths, type PathContext } from './critical-path.js';
import { awaitedTasks, findDependencies, type Dependencies } from './dependencies.js';
import { functionKeys } from './function-keys.js';
import { handlerStats, type HandlerStats } from './handler-stats.js';
import { requestStats, type RequestRouteStats } from './request-stats.js';
import { findHints } from './hints/registry.js';
import type { Hint, SourceOf } from './hints/types.js';
import { lagPass, NO_LAG, type LagFigures } from './lag.js';
import { mainTask, PhaseList, taskPhases } from './phases.js';
import type { Blocking, OffCpu } from './results.js';
import { utilization } from './utilization.js';
import { buildWaitIndex, type WaitIndex } from './waits.js';
import { Work, WorkBudgetExceeded } from './work.js';

export interface AnalysisOptions {
  /** Synchronous stretches at least this long are blocking (default: what the trace was recorded with). */
  blockingThresholdMs?: number;
  /** Sibling tasks in flight at once above this are an unbounded fan-out (default 100). */
  fanoutThreshold?: number;
  /** Reads the script's sources (hints put calls the trace has no line for at their line). */
  source?: SourceOf;
  /** Called as passes go: the pass's name and how far it is (0..1). */
  onProgress?: (pass: string, fraction: number) => void;
  /** Multiplies every pass's work budget (tests make it tiny to see a pass cut short). */
  budgetScale?: number;
}

export interface Analysis {
  model: TraceModel;
  blockingThresholdMs: number;
  fanoutThreshold: number;
  lag: LagFigures;
  elu: number | null;
  blocking: Blocking[];
  offCpu: OffCpu[];
  /** Tasks in flight over the run: the most at once and the time-weighted mean. */
  concurrency: { maxTasks: number; meanTasks: number };
  waits: WaitIndex;
  pathContext: PathContext;
  /** Null when the pass was cut short (see cutShort). */
  dependencies: Dependencies | null;
  paths: CriticalPaths | null;
  runPath: CompactPath | null;
  /**
   * Most tasks listed on each task's path in the report (criticalPath.tasks): the lists of
   * nested tasks repeat each other, so deep nesting makes them grow as the square of the depth.
   */
  pathListLimit: number;
  /** The top-level task the run is about (-1: none) and the phases of its children. */
  mainTask: number;
  phases: PhaseList;
  /** Per function (name, file, line): its calls' count, duration percentiles, run/wait, top await, blocking. */
  handlers: HandlerStats[];
  /** How long this thread waited for the answers of each worker thread and child process it asked (answer-waits.ts). */
  answerWaits: AnswerWait[];
  /** HTTP requests the program's servers answered, per route (request-stats.ts). */
  requests: RequestRouteStats[];
  hints: Hint[];
  /** One line per pass that was cut short or skipped. */
  cutShort: string[];
  /** Work units each pass used. */
  work: Map<string, number>;
  /** Milliseconds each pass took. */
  timings: Map<string, number>;
}

/** Units of work a pass may use per event, times log2 of the events, before it is cut short. */
export const BUDGET_PER_EVENT_LOG = 20;
/** And at least this many, whatever the trace's size. */
export const BUDGET_MINIMUM = 5_000_000;

/** The report's per-task path lists may hold this many task ids per event of the trace, in all. */
const PATH_LIST_IDS_PER_EVENT = 8;
const PATH_LIST_IDS_MINIMUM = 1_000_000;

const analyses = new WeakMap<TraceModel, Analysis>();

/**
 * How long each task's list of path tasks may be so that all of them (for tasks with children)
 * hold at most `cap` ids: every list is cut to the same length, the shortest that fits.
 */
function pathListCap(model: TraceModel, paths: CriticalPaths, cap: number, w: Work): { limit: number; total: number } {
  const T = model.columns.tasks;
  const size = new Float64Array(T.count);
  for (let t = T.count - 1; t >= 0; t--) {
    let n = 1;
    for (let k = paths.critOff[t]!; k < paths.critOff[t + 1]!; k++) n += size[paths.critChildren[k]!]!;
    size[t] = n;
  }
  const listed: number[] = [];
  for (let t = 0; t < T.count; t++) if (T.childOff[t + 1]! > T.childOff[t]!) listed.push(size[t]!);
  w.add(2 * T.count);
  const total = listed.reduce((a, b) => a + b, 0);
  if (total <= cap) return { limit: Number.POSITIVE_INFINITY, total };
  let lo = 1;
  let hi = 1;
  for (const n of listed) if (n > hi) hi = n;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    w.add(listed.length);
    let sum = 0;
    for (const n of listed) sum += Math.min(n, mid);
    if (sum <= cap) lo = mid;
    else hi = mid - 1;
  }
  return { limit: lo, total };
}

export function workBudget(events: number, scale = 1): number {
  return Math.round(scale * (BUDGET_MINIMUM + BUDGET_PER_EVENT_LOG * events * Math.log2(events + 2)));
}

export function analyse(model: TraceModel, options: AnalysisOptions = {}): Analysis {
  const limit = workBudget(model.eventCount, options.budgetScale ?? 1);
  const cutShort: string[] = [];
  const work = new Map<string, number>();
  const timings = new Map<string, number>();
  const meter = (pass: string) => new Work(pass, limit, options.onProgress ? (f) => options.onProgress!(pass, f) : undefined);
  /** Runs one pass; on a blown budget, notes it and returns the fallback. */
  const pass = <T>(name: string, what: string, fallback: T, run: (w: Work) => T): T => {
    const w = meter(name);
    options.onProgress?.(name, 0);
    const started = cpuMs();
    try {
      return run(w);
    } catch (error) {
      if (!(error instanceof WorkBudgetExceeded)) throw error;
      cutShort.push(`${name} was cut short after ${Math.round(w.units).toLocaleString('en-US')} steps (its work budget for ${model.eventCount.toLocaleString('en-US')} events): ${what}`);
      return fallback;
    } finally {
      work.set(name, w.units);
      timings.set(name, cpuMs() - started);
    }
  };
  const skipped = (name: string, because: string) => cutShort.push(`${name} was skipped: ${because} was cut short`);

  const blockingThresholdMs = options.blockingThresholdMs ?? model.recordedBlockingThresholdMs;
  const fanoutThreshold = options.fanoutThreshold ?? 100;
  const lag = pass('lag', 'no lag figures', NO_LAG as LagFigures, (w) => lagPass(model, w));
  const elu = pass('utilization', 'no utilization figure', model.recordedElu, (w) => utilization(model, w));
  const { blocking, offCpu } = pass('blocking', 'no blocking stretches are listed', { blocking: [], offCpu: [] }, (w) => findBlocking(model, { thresholdMs: blockingThresholdMs }, w));
  const T = model.columns.tasks;
  const noConcurrency = { maxTasks: 0, meanTasks: 0 };
  const concurrency = pass('concurrency', 'no concurrency figures', noConcurrency, (w) => {
    w.add(2 * T.count * Math.log2(T.count + 2));
    // Ends in the order the tasks ended (sorted already), then the pending ones at the end of the run.
    const ends = new Float64Array(T.count);
    let k = 0;
    for (let i = 0; i < T.endOrder.length; i++) ends[k++] = T.end[T.endOrder[i]!]!;
    for (; k < T.count; k++) ends[k] = model.wallMs;
    return concurrencyFigures(T.start, ends, 0, model.wallMs);
  });
  // The shared index is needed by everything after: it cannot be cut short.
  const indexWork = new Work('wait index');
  const indexStarted = cpuMs();
  const waits = buildWaitIndex(model, blocking, indexWork);
  work.set('wait index', indexWork.units);
  timings.set('wait index', cpuMs() - indexStarted);
  const context = pathContext(waits, blocking);
  const dependencies = pass('dependencies', 'dependencies are not listed', null as Dependencies | null, (w) => findDependencies(waits, w));
  const paths = pass('critical path', 'no critical paths', null as CriticalPaths | null, (w) => criticalPaths(context, w));
  const runPath = pass('run critical path', "the run's critical path is missing", null as CompactPath | null, (w) => runCriticalPath(context, w));
  const pathListLimit = paths ? pass('critical path lists', 'no lists', Number.POSITIVE_INFINITY, (w) => {
    const { limit, total } = pathListCap(model, paths, PATH_LIST_IDS_PER_EVENT * model.eventCount + PATH_LIST_IDS_MINIMUM, w);
    if (limit < Number.POSITIVE_INFINITY) {
      cutShort.push(
        `criticalPath.tasks lists at most ${limit.toLocaleString('en-US')} tasks per path: the paths of nested tasks repeat each other (${total.toLocaleString('en-US')} entries in all); criticalPath(taskId) in the API gives any one in full`,
      );
    }
    return limit;
  }) : Number.POSITIVE_INFINITY;
  const main = mainTask(model);
  const phases = pass('phases', 'no phases', new PhaseList(model, [], null), (w) => (main >= 0 ? taskPhases(model, main, w) : new PhaseList(model, [], null)));

  const handlers = pass('handler stats', 'no per-handler statistics', [] as HandlerStats[], (w) => handlerStats(model, blocking, w));
  const answers = pass('answer waits', 'no waits for answers', [] as AnswerWait[], (w) => answerWaits(model, w));
  const requests = pass('request stats', 'no per-route statistics of HTTP requests', [] as RequestRouteStats[], (w) => requestStats(model, w));

  let hints: Hint[] = [];
  if (dependencies === null) skipped('hints', 'the dependencies pass');
  else if (paths === null) skipped('hints', 'the critical path pass');
  else {
    const hintWork = new Work('hints');
    const context2 = {
      model,
      options: { fanoutThreshold, blockingThresholdMs, source: options.source },
      blocking,
      waits,
      dependencies,
      awaited: awaitedTasks(model, dependencies),
      paths,
      pathContext: context,
      floating: new Set<number>(),
      functionKey: functionKeys(model),
      maxConcurrentTasks: concurrency === noConcurrency ? Number.POSITIVE_INFINITY : concurrency.maxTasks,
      work: hintWork,
    };
    hints = findHints(context2, (detector) =>
      pass(`hint ${detector.name}`, `${detector.name} hints are missing`, [], (w) => {
        context2.work = w;
        return detector.find(context2);
      }),
    );
  }

  if (offCpu.length > 0) {
    const total = offCpu.reduce((sum, o) => sum + o.durationMs - o.cpuMs, 0);
    model.warnings.push(
      `the process was off the CPU for ${Math.round(total)} ms in ${offCpu.length} stretch${offCpu.length > 1 ? 'es' : ''} (a loaded machine or a stop signal): not counted as blocking; lag and durations around ${offCpu.length > 1 ? 'them' : 'it'} include that time`,
    );
  }
  model.warnings.push(...cutShort);
  const analysis: Analysis = {
    model,
    blockingThresholdMs,
    fanoutThreshold,
    lag,
    elu,
    blocking,
    offCpu,
    concurrency,
    waits,
    pathContext: context,
    dependencies,
    paths,
    runPath,
    pathListLimit,
    mainTask: main,
    phases,
    handlers,
    answerWaits: answers,
    requests,
    hints,
    cutShort,
    work,
    timings,
  };
  analyses.set(model, analysis);
  return analysis;
}

/** The analysis last run on this model, or one with the defaults (and `defaults`). */
export function analysisOf(model: TraceModel, defaults: AnalysisOptions = {}): Analysis {
  return analyses.get(model) ?? analyse(model, defaults);
}

/** CPU time of this process (ms): what a pass costs, whatever else the machine is doing. */
function cpuMs(): number {
  const p = (globalThis as { process?: { cpuUsage(): { user: number; system: number } } }).process;
  if (!p) return performance.now();
  const { user, system } = p.cpuUsage();
  return (user + system) / 1000;
}
