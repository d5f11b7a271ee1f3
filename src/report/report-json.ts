// The report JSON: a public contract (README, "The report JSON"). Fields may be added; none of
// the existing ones may change meaning. One description (reportDocument) gives both the object
// (toReportJson, for the API) and the streamed text (writeReportJson, for `report --json` on
// traces of millions of tasks): the same bytes either way.
import { isAwaitChain } from '../analysis/await-chain.js';
import { bottlenecks, pathTasks, type StepKind } from '../analysis/critical-path.js';
import { DEPENDENCY_KINDS, type DependencyKind } from '../analysis/dependencies.js';
import type { HandlerStats } from '../analysis/handler-stats.js';
import type { RequestRouteStats } from '../analysis/request-stats.js';
import type { Hint } from '../analysis/hints/types.js';
import { markPhases, type Marker, type Phase } from '../analysis/phases.js';
import { analysisOf } from '../analysis/pipeline.js';
import type { LagSummary } from '../analysis/results.js';
import { sourceReader } from '../model/source-reader.js';
import { OUTCOME_OF_CODE, SEGMENT_RUN, type Frame, type TraceModel } from '../model/types.js';
import { processSummaries, threadSummaries, type AnswerSummary, type ProcessSummary, type ThreadSummary } from './thread-summary.js';
import { streamedArray, streamedObject, toValue, writeJson, type Doc } from './json-document.js';

export interface ReportJson {
  version: 1;
  script: string;
  args: string[];
  exitCode: number;
  wallMs: number;
  tasks: {
    id: number;
    parentId: number | null;
    name: string;
    file: string;
    line: number;
    startMs: number;
    endMs: number | null;
    outcome: 'fulfilled' | 'rejected' | 'pending';
    runMs: number;
    waitMs: number;
    segments: { kind: 'run' | 'wait'; startMs: number; endMs: number; line: number }[];
  }[];
  resources: Record<string, number>;
  /** The program's event-loop lag: without the time the thread waited for a CPU (a loaded machine) or Node spent setting itself up. */
  lag: LagSummary;
  /** Added, where the recorder sampled the scheduler (Linux) or Node's set-up was left out: the lag by the wall clock, everything included. */
  lagWallClock?: LagSummary;
  /** Added, with lagWallClock: lateness of the probe left out of `lag`, in all (ms): the thread waiting for a CPU. */
  lagCpuWaitMs?: number;
  /** Lateness left out of `lag` because Node was setting itself up (its first fetch()), when there was any. */
  lagNodeSetupMs?: number;
  elu: number;
  blocking: {
    startMs: number;
    /** The program's time holding the loop (the profiler's own work inside left out). */
    durationMs: number;
    /** Added: where the loop was given back; endMs - startMs is the stretch on the wall clock. */
    endMs: number;
    taskId: number | null;
    function: string;
    file: string;
    line: number;
    stack: Frame[];
    inside: Frame | null;
    /** Added: the time went into Node's one-time set-up (built-in module or WASM compilation). */
    nodeSetup: boolean;
    /** Added: of durationMs, the time the script was on the CPU. */
    cpuMs: number;
    /** Of durationMs, the time spent waiting for a CPU other processes had (not the program's). */
    cpuWaitMs: number;
    /** Added: awaits that resumed inside the stretch. */
    awaitsResumed: number;
    /** Added: the longest time one task ran without a break inside the stretch. */
    longestRunMs: number;
    /** Added: timer and I/O callbacks that ran inside the stretch. */
    resourceCallbacks: number;
    /** Added: the loop was held by a chain of awaits that never waited, not by one long call. */
    awaitChain: boolean;
  }[];
  /** Added: stretches with no idle sample in which the process was mostly not running (not blocking). */
  offCpu: { startMs: number; durationMs: number; cpuMs: number }[];
  concurrency: { maxTasks: number; meanTasks: number };
  dropped: number;
  /** Added fields (allowed by the contract). */
  blockingThresholdMs: number;
  /** Added: ms between profiler samples; 0: the profiler was off and `blocking` was not measured. */
  samplingIntervalMs: number;
  complete: boolean;
  signal: string | null;
  errors: { origin: string; name: string; message: string }[];
  warnings: string[];
  trace: string;
  /** Anti-patterns at their line, with a fix (docs/analysis.md). */
  hints: Hint[];
  /** Added: one row per function that has calls, most total time first (docs/report-format.md). */
  handlers: HandlerStats[];
  /** Added: the HTTP requests the program's servers answered, one row per route (docs/report-format.md). */
  requests: RequestRouteStats[];
  /** Which task awaited which (inferred: docs/analysis.md). */
  dependencies: {
    waiter: number;
    task: number;
    kind: DependencyKind;
    line: number;
    waitStartMs: number;
    waitEndMs: number;
    resumed: boolean;
    settled: boolean;
  }[];
  criticalPath: {
    /** The whole run: what decided when it ended. */
    run: {
      lengthMs: number;
      taskIds: number[];
      steps: { kind: StepKind; taskId: number | null; startMs: number; endMs: number; file: string; line: number; resourceType?: string; function?: string }[];
    };
    /** Every task that has children: its critical-path length and the tasks on it (a leaf's is its own duration). */
    tasks: { id: number; lengthMs: number; taskIds: number[] }[];
  };
  /** Where the run's critical path spent its time, biggest first, with the share of the wall time. */
  bottlenecks: { kind: StepKind; label: string; file: string; line: number; ms: number; share: number }[];
  phases: {
    /** The top-level task the phases are of (the longest), or null. */
    mainTaskId: number | null;
    tasks: Phase[];
    /** performance.measure() entries. */
    measures: Phase[];
    /** performance.mark() entries. */
    marks: Marker[];
  };
  /**
   * Added: every thread of the run, the main thread first, then each worker thread the program
   * started (absent when it started none, or ran with --no-workers). Worker threads' own tasks
   * are not in `tasks`, which is the main thread's.
   */
  threads?: ThreadSummary[];
  /** Added: every Node child process the run started (absent when none, or with --no-children). */
  processes?: ProcessSummary[];
}

const ms = (v: number) => Math.round(v * 1000) / 1000;

/** The report as a document whose task, dependency and critical-path lists are produced on demand. */
export function reportDocument(model: TraceModel): Doc {
  const analysis = analysisOf(model, { source: sourceReader(model) });
  const T = model.columns.tasks;
  const S = model.columns.segments;
  const R = model.columns.resources;
  const F = model.functions;
  const resources: Record<string, number> = {};
  for (let r = 0; r < R.count; r++) {
    const type = R.typeName(r);
    resources[type] = (resources[type] ?? 0) + 1;
  }
  // Each function's name, file and line as JSON text once, not per task.
  const fnText: (string | undefined)[] = [];
  const functionText = (fn: number) => (fnText[fn] ??= `"name":${JSON.stringify(F.name[fn])},"file":${JSON.stringify(F.file[fn])},"line":${F.line[fn]}`);
  const taskText = (t: number): string => {
    const parent = T.parent[t]!;
    const end = T.end[t]!;
    let text = `{"id":${T.id[t]},"parentId":${parent >= 0 ? T.id[parent] : 'null'},${functionText(T.fn[t]!)},"startMs":${ms(T.start[t]!)},"endMs":${Number.isNaN(end) ? 'null' : ms(end)},"outcome":"${OUTCOME_OF_CODE[T.outcome[t]!]}","runMs":${ms(T.runMs[t]!)},"waitMs":${ms(T.waitMs[t]!)},"segments":[`;
    for (let s = T.segOff[t]!; s < T.segOff[t + 1]!; s++) {
      if (s > T.segOff[t]!) text += ',';
      text += `{"kind":"${S.kind[s] === SEGMENT_RUN ? 'run' : 'wait'}","startMs":${ms(S.start[s]!)},"endMs":${ms(S.end[s]!)},"line":${S.line[s]}}`;
    }
    return `${text}]}`;
  };
  const task = (t: number) => JSON.parse(taskText(t)) as unknown;

  const d = analysis.dependencies;
  const dependency = (k: number) => {
    const s = d!.segment[k]!;
    return {
      waiter: T.id[d!.waiter[k]!]!,
      task: T.id[d!.task[k]!]!,
      kind: DEPENDENCY_KINDS[d!.kind[k]!]!,
      line: S.line[s]!,
      waitStartMs: ms(S.start[s]!),
      waitEndMs: ms(S.end[s]!),
      resumed: d!.resumed[k] === 1,
      settled: d!.settled[k] === 1,
    };
  };

  const run = analysis.runPath;
  const paths = analysis.paths;
  const parents: number[] = [];
  for (let t = 0; t < T.count; t++) if (T.childOff[t + 1]! > T.childOff[t]!) parents.push(t);
  const pathLimit = analysis.pathListLimit;
  const pathEntry = (k: number) => {
    const t = parents[k]!;
    return { id: T.id[t]!, lengthMs: ms(paths ? paths.lengthMs[t]! : 0), taskIds: paths ? pathTasks(paths, t, pathLimit).map((u) => T.id[u]!) : [T.id[t]!] };
  };
  const { measures, marks } = markPhases(model);
  const roundPhase = (p: Phase): Phase => ({ ...p, startMs: ms(p.startMs), endMs: ms(p.endMs), durationMs: ms(p.durationMs) });
  const concurrency = analysis.concurrency;

  return streamedObject([
    ['version', 1],
    ['script', model.script],
    ['args', model.args],
    ['exitCode', model.exitCode ?? (model.signal ? 128 : 0)],
    ['wallMs', ms(model.wallMs)],
    ['tasks', streamedArray(T.count, task, taskText)],
    ['resources', resources],
    ['lag', analysis.lag.summary],
    ['lagWallClock', analysis.lag.wallClock ?? undefined],
    ['lagCpuWaitMs', analysis.lag.waitingForCpu ? ms(analysis.lag.waitingForCpu.excludedMs) : undefined],
    ['lagNodeSetupMs', analysis.lag.nodeSetup.samples > 0 ? ms(analysis.lag.nodeSetup.excludedMs) : undefined],
    ['elu', Math.round((analysis.elu ?? 0) * 10000) / 10000],
    [
      'blocking',
      analysis.blocking.map((b) => ({
        startMs: ms(b.startMs),
        durationMs: ms(b.durationMs),
        endMs: ms(b.endMs),
        taskId: b.taskId,
        function: b.function,
        file: b.file,
        line: b.line,
        stack: b.stack,
        inside: b.inside,
        nodeSetup: b.nodeSetup,
        cpuMs: ms(b.cpuMs),
        cpuWaitMs: ms(b.cpuWaitMs),
        awaitsResumed: b.awaitsResumed,
        longestRunMs: ms(b.longestRunMs),
        resourceCallbacks: b.resourceCallbacks,
        awaitChain: isAwaitChain(b),
      })),
    ],
    ['offCpu', analysis.offCpu.map((o) => ({ startMs: ms(o.startMs), durationMs: ms(o.durationMs), cpuMs: ms(o.cpuMs) }))],
    ['concurrency', { maxTasks: concurrency.maxTasks, meanTasks: Math.round(concurrency.meanTasks * 1000) / 1000 }],
    ['dropped', model.dropped],
    ['blockingThresholdMs', analysis.blockingThresholdMs],
    ['samplingIntervalMs', model.samplingIntervalUs / 1000],
    ['complete', model.complete],
    ['signal', model.signal],
    ['errors', model.errors.map((e) => ({ origin: e.origin, name: e.name, message: e.message }))],
    ['warnings', model.warnings],
    ['trace', model.tracePath],
    ['hints', analysis.hints],
    ['handlers', analysis.handlers],
    ['requests', analysis.requests],
    ['dependencies', streamedArray(d ? d.count : 0, dependency)],
    [
      'criticalPath',
      streamedObject([
        [
          'run',
          streamedObject([
            ['lengthMs', ms(run?.lengthMs ?? 0)],
            ['taskIds', streamedArray(run?.tasks.length ?? 0, (i) => T.id[run!.tasks[i]!]!)],
            [
              'steps',
              streamedArray(run?.steps.length ?? 0, (i) => {
                const s = run!.steps.at(i);
                return {
                  kind: s.kind,
                  taskId: s.taskId,
                  startMs: ms(s.startMs),
                  endMs: ms(s.endMs),
                  file: s.file,
                  line: s.line,
                  ...(s.resourceType !== undefined ? { resourceType: s.resourceType } : {}),
                  ...(s.function !== undefined ? { function: s.function } : {}),
                };
              }),
            ],
          ]),
        ],
        ['tasks', streamedArray(parents.length, pathEntry)],
      ]),
    ],
    ['bottlenecks', run ? bottlenecks(model, run.steps, 10).map((b) => ({ kind: b.kind, label: b.label, file: b.file, line: b.line, ms: ms(b.ms), share: Math.round(b.share * 10000) / 10000 })) : []],
    [
      'phases',
      streamedObject([
        ['mainTaskId', analysis.mainTask >= 0 ? T.id[analysis.mainTask]! : null],
        ['tasks', streamedArray(analysis.phases.length, (i) => roundPhase(analysis.phases.at(i)))],
        ['measures', measures.map(roundPhase)],
        ['marks', marks.map((m) => ({ name: m.name, atMs: ms(m.atMs) }))],
      ]),
    ],
    ['threads', model.threads.length > 0 ? threadSummaries(model).map(roundThread) : undefined],
    ['processes', model.processes.length > 0 ? processSummaries(model).map((p) => ({ ...p, threads: p.threads.map(roundThread), ...(p.answers ? { answers: roundAnswers(p.answers) } : {}) })) : undefined],
  ]);
}

function roundThread(s: ThreadSummary): ThreadSummary {
  return {
    ...s,
    startMs: ms(s.startMs),
    endMs: ms(s.endMs),
    elu: s.elu === null ? null : Math.round(s.elu * 10000) / 10000,
    blocking: s.blocking.map((b) => ({ ...b, startMs: ms(b.startMs), durationMs: ms(b.durationMs) })),
    blockingMs: ms(s.blockingMs),
    ...(s.answers ? { answers: roundAnswers(s.answers) } : {}),
  };
}

function roundAnswers(a: AnswerSummary): AnswerSummary {
  return { ...a, waitMs: ms(a.waitMs), longestMs: ms(a.longestMs) };
}

/** The report JSON as one object (the API's profile() result; small traces). */
export function toReportJson(model: TraceModel): ReportJson {
  return toValue(reportDocument(model)) as ReportJson;
}

/** Writes the report JSON (one line) through `write`, in pieces: the same bytes as JSON.stringify(toReportJson(model)). */
export function writeReportJson(model: TraceModel, write: (text: string) => void): void {
  writeJson(reportDocument(model), write);
  write('\n');
}
