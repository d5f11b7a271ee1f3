// The toolbar: filter by name/file/outcome, resources on/off, expand/collapse, reset, theme, and
// a legend that tells a newcomer what the colours mean and how to move around.
import { h, setText } from './dom.js';
import { formatCount } from './format.js';
import type { FilterQuery } from './rows.js';
import type { Store } from './store.js';
import type { ViewActions } from './view-actions.js';
import type { ViewState } from './view-state.js';

/** The outcome menu's choices, in the order a reader expects (not the codes' order). */
const OUTCOME_CHOICES: readonly Exclude<FilterQuery['outcome'], ''>[] = ['fulfilled', 'rejected', 'pending'];

export function buildToolbar(store: Store<ViewState>, actions: ViewActions): HTMLElement {
  const hasResources = store.state.trace.groups > 0;
  const search = h('input', { type: 'search', class: 'search', 'aria-label': 'filter tasks' });
  search.placeholder = 'Filter: name, file or file:line';
  const outcome = h('select', { class: 'outcome', 'aria-label': 'filter by outcome' });
  for (const [value, label] of [['', 'any outcome'], ...OUTCOME_CHOICES.map((name) => [name, name] as const)] as const) {
    const option = h('option', null, label);
    option.value = value;
    outcome.appendChild(option);
  }
  const matches = h('span', { class: 'matches', 'aria-live': 'polite' });
  let timer = 0;
  const fire = () => actions.setFilter({ text: search.value, outcome: outcome.value as FilterQuery['outcome'] });
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = window.setTimeout(fire, 120);
  });
  search.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      search.value = '';
      fire();
      search.blur();
    }
  });
  outcome.addEventListener('change', fire);

  const resourcesBox = h('input', { type: 'checkbox', class: 'resources-toggle' });
  resourcesBox.disabled = !hasResources;
  resourcesBox.addEventListener('change', () => actions.setShowResources(resourcesBox.checked));
  const resources = h('label', { class: 'check', title: hasResources ? 'show the timers, sockets and other resources of each task' : 'this run recorded no resources' }, resourcesBox, ' timers & I/O');

  const button = (label: string, action: () => void, cls = '') => {
    const b = h('button', { type: 'button', class: `button ${cls}`.trim() }, label);
    b.addEventListener('click', action);
    return b;
  };
  const themeButton = button('Dark', () => actions.toggleTheme(), 'theme-toggle');
  // `run --live`: following the run's end, paused by a zoom or a selection, or ended.
  const liveState = h('span', { class: 'live-state', 'aria-live': 'polite' });
  const backToLive = button('Back to live', () => actions.backToLive(), 'back-to-live');
  const snapshotButton = button('Snapshot', () => actions.requestSnapshot(), 'take-snapshot');
  snapshotButton.title = 'write the flight recorder\'s window so far as a trace file (run --keep)';
  const snapshotState = h('span', { class: 'snapshot-state', 'aria-live': 'polite' });
  const liveBox = h('span', { class: 'live' }, liveState, backToLive, snapshotButton, snapshotState);

  const swatch = (cls: string, label: string) => h('span', { class: 'legend-item' }, h('span', { class: `swatch ${cls}` }), label);
  const legend = h(
    'div',
    { class: 'legend', 'aria-label': 'legend' },
    swatch('run', 'running (on the event loop)'),
    swatch('wait', 'waiting (at an await)'),
    swatch('blocking', 'event loop blocked'),
    swatch('rejected', 'rejected'),
    swatch('lag', 'loop lag'),
    swatch('conc', 'tasks in flight'),
  );
  const help = h('div', { class: 'help' }, 'Zoom: wheel or W/S · pan: drag or A/D · zoom to a range: Shift+drag or drag the time ruler · reset: 0 · click a bar for details');

  const el = h(
    'div',
    { class: 'toolbar' },
    h('div', { class: 'controls' }, liveBox, search, outcome, matches, resources, button('Expand all', () => actions.setAllCollapsed(false)), button('Collapse all', () => actions.setAllCollapsed(true)), button('Reset zoom', () => actions.resetZoom(), 'reset'), themeButton),
    h('div', { class: 'legend-row' }, legend, help),
  );
  const show = (state: Readonly<ViewState>) => {
    const { filter, trace } = state;
    setText(matches, filter ? `${formatCount(filter.matches)} of ${formatCount(trace.n)} tasks` : '');
    setText(themeButton, state.theme === 'dark' ? 'Light' : 'Dark');
    resourcesBox.checked = state.showResources;
    liveBox.hidden = state.live === 'off';
    liveBox.dataset.state = state.live === 'ended' ? 'ended' : state.followLive ? 'following' : 'paused';
    setText(liveState, state.live === 'ended' ? 'Run ended · showing all of it' : state.followLive ? `● Live · ${formatCount(trace.n)} tasks` : `Paused · ${formatCount(trace.n)} tasks`);
    backToLive.hidden = state.live !== 'running' || state.followLive;
    const snap = state.snapshot;
    snapshotButton.hidden = snap === null || state.live !== 'running';
    snapshotButton.disabled = snap?.state === 'pending';
    setText(snapshotState, snap?.state === 'done' ? `snapshot: ${snap.text}` : snap?.state === 'failed' ? `no snapshot: ${snap.text}` : snap?.state === 'pending' ? 'writing a snapshot…' : '');
  };
  store.subscribe(['filter', 'theme', 'showResources', 'trace', 'live', 'followLive', 'snapshot'], show);
  show(store.state);
  return el;
}
