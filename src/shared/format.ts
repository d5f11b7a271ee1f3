// Human-readable numbers: the one duration formatter of src/ (the text report, hint messages,
// compare, the CI reporters). Imports nothing, so every layer can use it.

export function formatMs(value: number): string {
  if (!Number.isFinite(value)) return '-';
  const abs = Math.abs(value);
  if (abs >= 60_000) return `${(value / 60_000).toFixed(1)} min`;
  if (abs >= 1000) return `${(value / 1000).toFixed(2)} s`;
  if (abs >= 10) return `${value.toFixed(1)} ms`;
  if (abs >= 1) return `${value.toFixed(2)} ms`;
  if (abs === 0) return '0 ms';
  return `${(value * 1000).toFixed(0)} µs`;
}

export function formatPercent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}
