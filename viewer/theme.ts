// Light and dark themes. Colours live in style.css as CSS variables (Okabe-Ito hues, safe for the
// common colour-vision deficiencies, with run and wait also apart in lightness); the canvas reads
// them here whenever the theme changes.

export interface Palette {
  bg: string;
  text: string;
  muted: string;
  grid: string;
  rowAlt: string;
  run: string;
  wait: string;
  waitEdge: string;
  rejected: string;
  blocking: string;
  blockingFill: string;
  lag: string;
  lagFill: string;
  conc: string;
  concFill: string;
  resource: string;
  selection: string;
  onRun: string;
  highlight: string;
  highlightBg: string;
}

const STORAGE_KEY = 'async-prof-theme';

export function readPalette(): Palette {
  const style = getComputedStyle(document.documentElement);
  const v = (name: string) => style.getPropertyValue(`--${name}`).trim();
  return {
    bg: v('bg'),
    text: v('text'),
    muted: v('muted'),
    grid: v('grid'),
    rowAlt: v('row-alt'),
    run: v('run'),
    wait: v('wait'),
    waitEdge: v('wait-edge'),
    rejected: v('rejected'),
    blocking: v('blocking'),
    blockingFill: v('blocking-fill'),
    lag: v('lag'),
    lagFill: v('lag-fill'),
    conc: v('conc'),
    concFill: v('conc-fill'),
    resource: v('resource'),
    selection: v('selection'),
    onRun: v('on-run'),
    highlight: v('highlight'),
    highlightBg: v('highlight-bg'),
  };
}

export type ThemeName = 'light' | 'dark';

export function initialTheme(): ThemeName {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'light' || saved === 'dark') return saved;
  } catch {
    // file:// pages may have no storage
  }
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function applyTheme(theme: ThemeName): void {
  document.documentElement.dataset.theme = theme;
  try {
    localStorage.setItem(STORAGE_KEY, theme);
  } catch {
    // ignore
  }
}
