// Just enough of source maps (v3) to map a generated line back to its source line: code that a
// bundler or test runner reprinted (vitest's esbuild pass, tsx) reaches V8 with other line
// numbers than the file the user reads, and blocking must point at the line they read. The
// mappings are decoded by @jridgewell/sourcemap-codec.

export interface LineMapper {
  /** 0-based generated line and column to 0-based original line, and the original source. */
  map(line: number, column?: number): { line: number; source: string } | null;
}

import { decode, type SourceMapSegment } from '@jridgewell/sourcemap-codec';

export interface RawSourceMap {
  version: number;
  sources: (string | null)[];
  sourceRoot?: string;
  mappings: string;
  sections?: unknown;
}

export function parseSourceMap(map: RawSourceMap): LineMapper | null {
  if (map?.version !== 3 || typeof map.mappings !== 'string' || map.sections) return null;
  // Segments with a source position only (a lone column maps to nothing); decode gives each
  // line's segments in column order, with absolute values.
  const lines = decode(map.mappings).map((segments) => segments.filter((s) => s.length >= 4) as Extract<SourceMapSegment, { length: 4 | 5 }>[]);
  const root = map.sourceRoot ? map.sourceRoot.replace(/\/?$/, '/') : '';
  const sources = map.sources.map((s) => (s === null ? '' : root + s));
  return {
    map(line, column) {
      const segments = lines[line];
      if (!segments || segments.length === 0) return null;
      const best = segments[column === undefined ? 0 : lastAtOrBefore(segments, column)]!;
      return { line: best[2], source: sources[best[1]] ?? '' };
    },
  };
}

/** Index of the last segment starting at or before `column` (the first if none does). */
function lastAtOrBefore(segments: readonly SourceMapSegment[], column: number): number {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segments[mid]![0] <= column) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The map of a `sourceMappingURL`, when it is inline (data: URL); null otherwise. */
export function inlineSourceMap(url: string): LineMapper | null {
  const m = /^data:application\/json(?:;charset=[^;,]+)?(;base64)?,(.*)$/s.exec(url);
  if (!m) return null;
  try {
    const text = m[1] ? Buffer.from(m[2]!, 'base64').toString('utf8') : decodeURIComponent(m[2]!);
    return parseSourceMap(JSON.parse(text) as RawSourceMap);
  } catch {
    return null;
  }
}
