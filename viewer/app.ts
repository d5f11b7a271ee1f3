// The viewer's entry point: load the trace, make the view state's store and the actions that
// change it, build the page (summary header, toolbar, timeline, details panel, comparison view),
// and mark <body data-ready> after the first render. The parts talk through the store: none
// holds another's state.
import { bindCompareMenu, buildAnalysisBar } from './compare-hooks.js';
import { CompareView } from './compare-view.js';
import { DetailsPanel } from './details.js';
import { h } from './dom.js';
import { HandlersPanel } from './handlers-panel.js';
import { buildHeader } from './header.js';
import { bindKeyboard } from './keyboard.js';
import { LiveFeed } from './live-feed.js';
import { loadTraceBytes } from './load-data.js';
import { Store } from './store.js';
import { applyTheme, initialTheme } from './theme.js';
import { Timeline } from './timeline.js';
import { buildToolbar } from './toolbar.js';
import { Trace } from './trace.js';
import { ViewActions } from './view-actions.js';
import { initialViewState, liveWindow, type ViewState } from './view-state.js';

declare global {
  interface Window {
    /** For tests and the benchmark: read the state, call the actions and the timeline's moves. */
    asyncProfViewer?: {
      store: Store<ViewState>;
      actions: ViewActions;
      timeline: Timeline;
      trace: Trace;
      /** `run --live`: the feed of newer data. */
      live: LiveFeed | null;
      loadMs: number;
      /** Milestones of the load (ms since navigation start). */
      timings: Record<string, number>;
    };
  }
}

async function main(): Promise<void> {
  const theme = initialTheme();
  applyTheme(theme);
  const status = h('div', { class: 'loading' }, 'Loading the trace…');
  document.body.appendChild(status);
  let trace: Trace;
  let liveVersion: number | null = null;
  let snapshots = false;
  let bytes: Uint8Array;
  const timings: Record<string, number> = { script: performance.now() };
  try {
    const loaded = await loadTraceBytes();
    bytes = loaded.bytes;
    liveVersion = loaded.liveVersion;
    snapshots = loaded.snapshots;
    timings.fetched = performance.now();
    trace = new Trace(bytes);
    timings.decoded = performance.now();
  } catch (error) {
    status.textContent = `Could not open the trace: ${(error as Error).message}`;
    status.classList.add('error');
    document.body.dataset.error = 'load';
    return;
  }
  document.title = `${trace.header.meta.script.split('/').pop()} · async-prof`;

  const initial = initialViewState(trace, theme);
  // A live run: the window follows its end from the start.
  const store = new Store<ViewState>(
    liveVersion === null ? initial : { ...initial, live: 'running', followLive: true, window: liveWindow(trace), snapshot: snapshots ? { state: 'idle', text: '' } : null },
  );
  store.subscribe(['theme'], (state) => applyTheme(state.theme));
  // The timeline makes the moves the actions ask for (none is asked for while it is built).
  const actions = new ViewActions(store, {
    zoomTo: (from, to) => timeline.zoomTo(from, to),
    reset: () => timeline.reset(),
    reveal: (task) => timeline.reveal(task),
    scrollToEnd: () => timeline.scrollTo(Number.MAX_SAFE_INTEGER),
  });
  const timeline = new Timeline(store, actions);

  const details = new DetailsPanel(store, actions);
  const toolbar = buildToolbar(store, actions);
  const compare = new CompareView(store, actions);
  const handlers = new HandlersPanel(store, actions);
  // The summary is built from the data as a whole: rebuilt when the data is replaced.
  const summaryOf = (data: Trace) => {
    const header = buildHeader(data, (k) => actions.selectBlocking(k, true), store.state.live === 'running');
    const analysisBar = buildAnalysisBar(data, { compare: (a, b) => actions.openCompare(a, b), select: (task) => actions.selectTask(task) });
    if (analysisBar) header.appendChild(analysisBar);
    return header;
  };
  let header = summaryOf(trace);
  store.subscribe(['trace'], (state) => {
    const next = summaryOf(state.trace);
    header.replaceWith(next);
    header = next;
  });
  const mainArea = h('div', { class: 'main' }, timeline.el, details.el, compare.el);
  bindCompareMenu(() => store.state.trace, mainArea, (x, y) => timeline.taskAt(x, y), (a, b) => actions.openCompare(a, b));
  const root = h('div', { class: 'app' }, header, handlers.el, toolbar, mainArea);
  status.remove();
  document.body.appendChild(root);
  bindKeyboard(timeline, () => actions.clearSelection());

  const live = liveVersion === null ? null : new LiveFeed(store, actions, liveVersion);
  if (live) actions.backToLive();

  timings.built = performance.now();
  timeline.stats.onFirstRender(() => {
    const loadMs = performance.now();
    timings.rendered = loadMs;
    window.asyncProfViewer = { store, actions, timeline, trace, live, loadMs, timings };
    document.body.dataset.ready = '';
  });
}

void main();
