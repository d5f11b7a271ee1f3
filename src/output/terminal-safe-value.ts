// A copy of a plain JSON-like value (the ci result) with every string made terminal-safe
// (terminal-text.ts), for the reporters that print it as text: script paths, function names,
// error messages and the scripts' own output lines all come from the runs.
import { terminalText } from './terminal-text.js';

export function terminalSafeValue<T>(value: T): T {
  if (typeof value === 'string') return terminalText(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => terminalSafeValue(v)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = terminalSafeValue(v);
    return out as T;
  }
  return value;
}
