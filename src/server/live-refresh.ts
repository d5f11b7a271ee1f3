// One refresh of the live page: the growing trace read, modelled, analysed, shaped and encoded.
// Beyond the horizon (LIVE_HORIZON_MS from the run's newest event) the run is folded into
// per-interval aggregates before the model is built (fold-history.ts), so that the model,
// the analyses and the view data stay the size of the horizon's content however long the run;
// reading the file still grows with it.
import { timeZeroOf } from '../model/thread-origin.js';
import type { TraceModel } from '../model/types.js';
import { foldHistory, type History } from './fold-history.js';
import { loadModel } from '../trace/load-model.js';
import type { RawTrace } from '../trace/raw-trace.js';
import { encodeViewModel } from '../view-model/binary-format.js';
import { buildViewModel } from '../view-model/build-view-model.js';

/** The last this many ms of a live run are shown in full. */
export const LIVE_HORIZON_MS = 3 * 60_000;

export interface LiveRefresh {
  data: Uint8Array[];
  model: TraceModel;
  history: History | null;
  /** Tasks in the view (the horizon's). */
  tasks: number;
  /** Where the time went (ms): reading the file, folding, the model and its analyses, the view data. */
  timings: { readMs: number; foldMs: number; modelMs: number; viewMs: number };
}

export interface LiveRefreshOptions {
  /** Why the trace may stop early (it is being written). */
  unfinishedBecause?: string;
  /** Default LIVE_HORIZON_MS; Infinity keeps the whole run. */
  horizonMs?: number;
}

export function liveRefresh(path: string, options: LiveRefreshOptions = {}): LiveRefresh {
  const horizonMs = options.horizonMs ?? LIVE_HORIZON_MS;
  let history: History | null = null;
  const started = performance.now();
  let read = started;
  let folded = started;
  const fold = (raw: RawTrace) => {
    read = performance.now();
    if (Number.isFinite(horizonMs)) {
      history = foldHistory(raw, { horizonMs, originMs: timeZeroOf(raw) });
      // Worker threads and child processes keep their own horizon; only the main thread's rows are shown.
      for (const other of [...(raw.threads ?? []), ...(raw.processes ?? [])]) foldHistory(other, { horizonMs, originMs: timeZeroOf(other) });
    }
    folded = performance.now();
  };
  const model = loadModel(path, { unfinishedBecause: options.unfinishedBecause, beforeModel: fold });
  const modelled = performance.now();
  if (options.unfinishedBecause !== undefined) {
    const because = options.unfinishedBecause;
    model.warnings = model.warnings.filter((w) => !w.startsWith(`the trace stops early: ${because}`));
  }
  // Tasks there were, before the horizon: not the "no tasks recorded" of a run that had none.
  if (history !== null && (history as History).foldedTasks > 0) model.warnings = model.warnings.filter((w) => !w.startsWith('no tasks recorded'));
  const view = buildViewModel(model);
  if (history !== null) view.header.history = history;
  const data = encodeViewModel(view);
  const timings = { readMs: read - started, foldMs: folded - read, modelMs: modelled - folded, viewMs: performance.now() - modelled };
  return { data, model, history, tasks: view.header.summary.tasks, timings };
}
