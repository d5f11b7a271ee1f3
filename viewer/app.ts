// The viewer's entry point: load the trace, build the page (summary header, toolbar, timeline,
// details panel), wire them together, and mark <body data-ready> after the first render.
import { computeFilter, type FilterQuery } from './rows.js';
import { h } from './dom.js';
import { DetailsPanel } from './details.js';
import { formatCount } from './format.js';
import { buildHeader } from './header.js';
import { bindCompareMenu, buildAnalysisBar } from './compare-hooks.js';
import { CompareView } from './compare-view.js';
import { bindKeyboard } from './keyboard.js';
import { loadTraceBytes } from './load-data.js';
import { applyTheme, initialTheme, type ThemeName } from './theme.js';
import { Timeline } from './timeline.js';
import { buildToolbar } from './toolbar.js';
import { Trace } from './trace.js';

declare global {
  interface Window {
    /** For tests and the benchmark. */
    asyncProfViewer?: {
      timeline: Timeline;
      trace: Trace;
      loadMs: number;
      /** Milestones of the load (ms since navigation start). */
      timings: Record<string, number>;
    };
  }
}

async function main(): Promise<void> {
  let theme: ThemeName = initialTheme();
  applyTheme(theme);
  const status = h('div', { class: 'loading' }, 'Loading the trace…');
  document.body.appendChild(status);
  let trace: Trace;
  const timings: Record<string, number> = { script: performance.now() };
  try {
    const bytes = await loadTraceBytes();
    timings.fetched = performance.now();
    trace = new Trace(bytes);
    timings.decoded = performance.now();
  } catch (error) {
    status.textContent = `Could not open the trace: ${(error as Error).message}`;
    status.classList.add('error');
    document.body.dataset.error = 'load';
    return;
  }
  const { meta } = trace.header;
  document.title = `${meta.script.split('/').pop()} · async-prof`;

  let details: DetailsPanel;
  const timeline: Timeline = new Timeline(trace, {
    selectTask: (task) => selectTask(task),
    selectBlocking: (k) => selectBlocking(k, false),
  });

  function selectTask(task: number): void {
    timeline.selected = task;
    timeline.selectedBlocking = -1;
    timeline.reveal(task);
    details.showTask(task);
    timeline.markLabelsDirty();
  }

  function selectBlocking(k: number, zoom: boolean): void {
    const b = trace.header.blocking[k];
    if (!b) return;
    timeline.selectedBlocking = k;
    if (b.task >= 0) {
      timeline.selected = b.task;
      timeline.reveal(b.task);
    }
    details.showBlocking(k);
    if (zoom) {
      const pad = Math.max(b.durationMs * 0.3, 0.05);
      timeline.zoomTo(b.startMs - pad, b.startMs + b.durationMs + pad);
    }
    timeline.markLabelsDirty();
  }

  details = new DetailsPanel(trace, {
    select: selectTask,
    selectBlocking: (k) => selectBlocking(k, true),
    zoomTo: (from, to) => timeline.zoomTo(from, to),
    close: () => {
      details.hide();
      timeline.selected = -1;
      timeline.selectedBlocking = -1;
      timeline.markLabelsDirty();
    },
  });

  const toolbar = buildToolbar(
    {
      filter: (query: FilterQuery) => {
        const { filter, matches } = computeFilter(trace, query);
        timeline.rowState.filter = filter;
        timeline.scrollTo(0);
        timeline.refreshRows();
        toolbar.setMatches(filter ? `${formatCount(matches)} of ${formatCount(trace.n)} tasks` : '');
      },
      resources: (show) => {
        timeline.rowState.showResources = show;
        timeline.refreshRows();
      },
      expandAll: () => timeline.setAllCollapsed(false),
      collapseAll: () => timeline.setAllCollapsed(true),
      reset: () => timeline.reset(),
      theme: () => {
        theme = theme === 'dark' ? 'light' : 'dark';
        applyTheme(theme);
        toolbar.setThemeLabel(theme === 'dark' ? 'Light' : 'Dark');
        timeline.setPalette();
      },
    },
    trace.groups > 0,
  );
  toolbar.setThemeLabel(theme === 'dark' ? 'Light' : 'Dark');

  const header = buildHeader(trace, (k) => selectBlocking(k, true));
  const compare = new CompareView(trace, { select: selectTask, closed: () => timeline.markLabelsDirty() });
  const analysisBar = buildAnalysisBar(trace, { compare: (a, b) => compare.open(a, b), select: selectTask });
  if (analysisBar) header.appendChild(analysisBar);
  const mainArea = h('div', { class: 'main' }, timeline.el, details.el, compare.el);
  bindCompareMenu(trace, mainArea, (x, y) => timeline.taskAt(x, y), compare);
  const root = h('div', { class: 'app' }, header, toolbar.el, mainArea);
  status.remove();
  document.body.appendChild(root);
  bindKeyboard(timeline, () => details.el.hidden || (details.hide(), (timeline.selected = -1), (timeline.selectedBlocking = -1), timeline.markLabelsDirty()));

  timings.built = performance.now();
  timeline.onFirstRender = () => {
    const loadMs = performance.now();
    timings.rendered = loadMs;
    window.asyncProfViewer = { timeline, trace, loadMs, timings };
    document.body.dataset.ready = '';
  };
  timeline.setPalette();
}

void main();
