// Profile frames name lines of the code V8 ran. For a module compiled by tsx that is tsx's
// output, whose lines differ from the source the user reads; the module's table in the trace
// maps each generated line to its original one (instrument/transform.ts ModuleTable.lines), and
// this puts the original lines into the profile's frames, once, before any analysis reads them.
import { pathToFileURL } from 'node:url';
import type { RawTrace } from './read-trace.js';

export function mapProfileLinesToSource(raw: RawTrace): void {
  const byUrl = new Map<string, number[]>();
  for (const mod of raw.modules) {
    const lines = (mod as { lines?: number[] }).lines;
    if (!Array.isArray(lines) || lines.length === 0) continue;
    byUrl.set(mod.file, lines);
    try {
      byUrl.set(pathToFileURL(mod.file).href, lines);
    } catch {
      // Not a path: the file name alone.
    }
  }
  if (byUrl.size === 0) return;
  const original = (lines: number[], line1: number) => {
    const mapped = lines[line1 - 1];
    return typeof mapped === 'number' && mapped > 0 ? mapped : line1;
  };
  for (const chunk of raw.profiles) {
    for (const node of chunk.nodes) {
      const lines = byUrl.get(node.u);
      if (!lines) continue;
      // `l` is 0-based; position ticks are 1-based.
      if (node.l >= 0) node.l = original(lines, node.l + 1) - 1;
      if (node.t) for (let i = 0; i < node.t.length; i += 2) node.t[i] = original(lines, node.t[i]!);
    }
  }
}
