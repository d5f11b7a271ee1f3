// Just enough of source maps (v3) to map a generated line back to its source line: code that a
// bundler or test runner reprinted (vitest's esbuild pass, tsx) reaches V8 with other line
// numbers than the file the user reads, and blocking must point at the line they read.

export interface LineMapper {
  /** 0-based generated line and column to 0-based original line, and the original source. */
  map(line: number, column?: number): { line: number; source: string } | null;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((ch, i) => [ch, i]));

/** Decodes one segment's base64 VLQ fields. */
export function decodeVlq(segment: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of segment) {
    const digit = DIGIT.get(ch);
    if (digit === undefined) throw new Error(`bad VLQ character ${ch}`);
    value += (digit & 31) * 2 ** shift;
    if (digit & 32) {
      shift += 5;
    } else {
      const negative = value % 2 === 1;
      const magnitude = Math.floor(value / 2);
      out.push(negative ? -magnitude : magnitude);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

interface Segment {
  column: number;
  source: number;
  line: number;
}

export interface RawSourceMap {
  version: number;
  sources: (string | null)[];
  sourceRoot?: string;
  mappings: string;
  sections?: unknown;
}

export function parseSourceMap(map: RawSourceMap): LineMapper | null {
  if (map?.version !== 3 || typeof map.mappings !== 'string' || map.sections) return null;
  const lines: Segment[][] = [];
  let source = 0;
  let origLine = 0;
  let origColumn = 0;
  for (const text of map.mappings.split(';')) {
    const segments: Segment[] = [];
    let column = 0;
    for (const part of text.split(',')) {
      if (part === '') continue;
      const f = decodeVlq(part);
      column += f[0] ?? 0;
      if (f.length >= 4) {
        source += f[1]!;
        origLine += f[2]!;
        origColumn += f[3]!;
        segments.push({ column, source, line: origLine });
      }
    }
    lines.push(segments);
  }
  const root = map.sourceRoot ? map.sourceRoot.replace(/\/?$/, '/') : '';
  const sources = map.sources.map((s) => (s === null ? '' : root + s));
  return {
    map(line, column) {
      const segments = lines[line];
      if (!segments || segments.length === 0) return null;
      let best = segments[0]!;
      if (column !== undefined) {
        for (const s of segments) if (s.column <= column) best = s;
      }
      return { line: best.line, source: sources[best.source] ?? '' };
    },
  };
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
