// Numbers for people: durations and instants in units that fit their size (µs, ms, s, min),
// counts and shares. The viewer's one copy of these rules: every panel, label and canvas text
// formats through here (src/ has its own for the terminal; the viewer takes nothing from src/
// but the view-model contract).

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  const abs = Math.abs(ms);
  if (abs === 0) return '0 ms';
  if (abs < 0.001) return `${(ms * 1e6).toFixed(0)} ns`;
  if (abs < 1) return `${trim((ms * 1000).toPrecision(3))} µs`;
  if (abs < 1000) return `${trim(ms.toPrecision(3))} ms`;
  if (abs < 60_000) return `${trim((ms / 1000).toPrecision(3))} s`;
  const minutes = Math.floor(abs / 60_000);
  const seconds = Math.round((abs - minutes * 60_000) / 1000);
  return `${ms < 0 ? '-' : ''}${seconds === 60 ? minutes + 1 : minutes} min${seconds === 0 || seconds === 60 ? '' : ` ${seconds} s`}`;
}

/** "1.50" -> "1.50" but "150." -> "150", "1.0e+3" never appears for our ranges. */
function trim(text: string): string {
  if (text.includes('e')) return String(Number(text));
  return text.endsWith('.') ? text.slice(0, -1) : text;
}

export type TimeUnit = { name: string; ms: number };

const UNITS: TimeUnit[] = [
  { name: 'µs', ms: 0.001 },
  { name: 'ms', ms: 1 },
  { name: 's', ms: 1000 },
  { name: 'min', ms: 60_000 },
];

/** The unit for axis ticks over a visible span: the largest unit that still gives ticks above 1. */
export function unitForSpan(spanMs: number): TimeUnit {
  if (spanMs < 2) return UNITS[0]!;
  if (spanMs < 2000) return UNITS[1]!;
  if (spanMs < 180_000) return UNITS[2]!;
  return UNITS[3]!;
}

/**
 * Tick labels for a visible window. Near the start of the run: every tick in one unit (µs, ms,
 * s) with just enough decimals for the step. Minutes into a run: m:ss. Zoomed in far from the
 * start: the first tick absolute, the others as offsets from it ("+200 ms").
 */
export function tickFormatter(t0: number, t1: number, stepMs: number, firstTick: number): (ms: number) => string {
  const span = t1 - t0;
  const far = Math.max(Math.abs(t0), Math.abs(t1));
  if (far >= 60_000 && stepMs >= 1000) return (ms) => clock(ms, 0);
  if (far > 20 * span) {
    return (ms) => (Math.abs(ms - firstTick) < stepMs / 1e6 ? formatInstant(ms) : `+${formatDuration(ms - firstTick)}`);
  }
  const unit = unitForSpan(span);
  const step = stepMs / unit.ms;
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  return (ms: number) => {
    const v = ms / unit.ms;
    const text = (Math.abs(v) < 1e-9 ? 0 : v).toFixed(decimals);
    return `${text} ${unit.name}`;
  };
}

/** m:ss(.d) */
function clock(ms: number, decimals: number): string {
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  const minutes = Math.floor(abs / 60_000);
  const seconds = (abs - minutes * 60_000) / 1000;
  const text = seconds.toFixed(decimals);
  return `${sign}${minutes}:${text.padStart(decimals > 0 ? 3 + decimals : 2, '0')}`;
}

/** An instant on the run's clock ("1.204 s", "23.55 ms"), precise enough to tell events apart. */
export function formatInstant(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  const abs = Math.abs(ms);
  if (abs === 0) return '0 ms';
  if (abs < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (abs < 1000) return `${ms.toFixed(2)} ms`;
  if (abs < 60_000) return `${(ms / 1000).toFixed(3)} s`;
  return clock(ms, 3);
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** A ratio such as a speedup or a parallelism: "1.74x". */
export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(2)}x`;
}

export function formatPercent(share: number): string {
  return `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;
}

/** A stack frame: "fn (file:line)"; Node's "(native)" and line 0 are shown as they are. */
export function formatFrame(frame: { function: string; file: string; line: number }): string {
  const where = frame.line > 0 ? `${frame.file}:${frame.line}` : frame.file;
  const place = where.startsWith('(') ? where : `(${where})`;
  return `${frame.function || '(anonymous)'} ${place}`;
}
