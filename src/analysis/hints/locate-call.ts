// Finding in a source file the line of a call the trace has no line for (the top-level code's
// awaits are not in the trace; nor is the call that dropped a promise).

const linesOf = new Map<string, string[]>();

function lines(text: string): string[] {
  let split = linesOf.get(text);
  if (!split) {
    // A handful of source files per run: keep their lines rather than splitting again per call.
    if (linesOf.size > 64) linesOf.clear();
    linesOf.set(text, (split = text.split('\n')));
  }
  return split;
}

/**
 * The line of a call of `callee` in a source text (1-based): with `awaited`, a line that awaits
 * it (not through Promise.all & co.), preferring one inside a loop; without, a line that calls it
 * without await. Only lines in [from, to] when given. Undefined when not found or no source.
 */
export function locateCall(text: string | undefined, callee: string, options: { awaited: boolean; from?: number; to?: number }): number | undefined {
  if (text === undefined) return undefined;
  const short = callee.slice(callee.lastIndexOf('.') + 1).replace(/^#/, '');
  if (!/^[\w$]+$/.test(short)) return undefined;
  const all = lines(text);
  const call = new RegExp(`(^|[^\\w$.])(this\\.|[\\w$]+\\.)?#?${short.replace(/\$/g, '\\$')}\\s*\\(`);
  const definition = new RegExp(
    `(function\\*?\\s+${short.replace(/\$/g, '\\$')}\\b|^\\s*(async\\s+)?(static\\s+)?\\*?#?${short.replace(/\$/g, '\\$')}\\s*\\([^)]*\\)\\s*(:[^{]*)?\\{\\s*$)`,
  );
  const from = Math.max(1, options.from ?? 1);
  const to = Math.min(all.length, options.to ?? all.length);
  let fallback: number | undefined;
  for (let n = from; n <= to; n++) {
    const code = all[n - 1]!.replace(/\/\/.*$/, '');
    if (!call.test(code) || definition.test(code)) continue;
    const awaited = /\bawait\b/.test(code);
    if (options.awaited !== awaited) continue;
    if (options.awaited && /Promise\s*\.\s*(all|allSettled|race|any)\b/.test(code)) continue;
    if (!options.awaited) return n;
    // Inside a loop: a for/while header above it, less indented, within a few lines.
    const indent = /^\s*/.exec(code)![0].length;
    for (let m = n - 1; m >= Math.max(1, n - 6); m--) {
      const above = all[m - 1]!;
      if (/^\s*(for|while|do)\b/.test(above) && /^\s*/.exec(above)![0].length < indent) return n;
    }
    fallback ??= n;
  }
  return fallback;
}
