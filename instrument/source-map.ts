// The inline source map that tsx (esbuild) appends to the code it compiles: read it to name
// original lines, and write it back with the instrumenter's insertions accounted for, so that
// Node, which tsx has told to use source maps, reports every stack frame exactly where tsx alone
// would have.
import { decode, encode, type SourceMapMappings } from '@jridgewell/sourcemap-codec';

export interface RawSourceMap {
  version: number;
  sources: string[];
  sourcesContent?: (string | null)[];
  names: string[];
  mappings: string;
  file?: string;
  sourceRoot?: string;
}

export interface InlineMap {
  map: RawSourceMap;
  mappings: SourceMapMappings;
  /** Where the `//# sourceMappingURL=` comment starts in the code: it is replaced, not kept. */
  commentStart: number;
}

const INLINE_PREFIX = '//# sourceMappingURL=data:application/json;base64,';

/** The last inline base64 source map of `code`, or null (none, or one that does not parse). */
export function readInlineMap(code: string): InlineMap | null {
  const commentStart = code.lastIndexOf(INLINE_PREFIX);
  if (commentStart === -1) return null;
  // Only a comment on a line of its own at the end is a source map comment.
  if (commentStart > 0 && code.charCodeAt(commentStart - 1) !== 10) return null;
  const end = code.indexOf('\n', commentStart);
  if (end !== -1 && code.slice(end).trim() !== '') return null;
  const map = decodePayload(code.slice(commentStart + INLINE_PREFIX.length, end === -1 ? code.length : end));
  return map === null ? null : { map, mappings: decode(map.mappings), commentStart };
}

/**
 * The last inline base64 source map of `code` wherever its comment line is: a module runner
 * wraps the code it evaluates (vitest appends `}}` and a comment of its own after the map).
 */
export function findInlineMap(code: string): RawSourceMap | null {
  let at = code.lastIndexOf(INLINE_PREFIX);
  while (at > 0 && code.charCodeAt(at - 1) !== 10) at = code.lastIndexOf(INLINE_PREFIX, at - 1);
  if (at === -1) return null;
  const end = code.indexOf('\n', at);
  return decodePayload(code.slice(at + INLINE_PREFIX.length, end === -1 ? code.length : end));
}

function decodePayload(payload: string): RawSourceMap | null {
  try {
    const map = JSON.parse(Buffer.from(payload.trim(), 'base64').toString('utf8')) as RawSourceMap;
    return map.version === 3 && typeof map.mappings === 'string' ? map : null;
  } catch {
    return null;
  }
}

/**
 * The original line (1-based) of a generated position (line 1-based, column 0-based): the
 * segment at or before the column on that line, else the line's first segment, else the
 * nearest line above that has one. Null when the map says nothing about it.
 */
/** Segments looked at by originalLine, counted so that a test can hold its cost to a log per call. */
export const lookupWork = { segments: 0 };

export function originalLine(mappings: SourceMapMappings, line: number, column: number): number | null {
  for (let l = line - 1; l >= 0 && l >= line - 50; l--) {
    const segments = mappings[l];
    if (!segments || segments.length === 0) continue;
    let found = segments[segments.length - 1]!;
    if (l === line - 1) {
      // The last segment at or before the column (tsx's output is a few very long lines: a
      // binary search, not a scan).
      let lo = 0;
      let hi = segments.length - 1;
      if (segments[0]![0] > column) hi = 0;
      while (lo < hi) {
        lookupWork.segments++;
        const mid = (lo + hi + 1) >> 1;
        if (segments[mid]![0] <= column) lo = mid;
        else hi = mid - 1;
      }
      found = segments[lo]!;
    }
    if (found.length >= 4) return found[2]! + 1;
  }
  return null;
}

/**
 * The map of the instrumented code: every segment of the input map moved to where its text is in
 * the output (`moved` gives the output line and column of an input line and column, all
 * 0-based), so that Node finds for every position what it would have found in the input.
 */
export function movedMapComment(input: InlineMap, moved: (line: number, column: number) => [number, number]): string {
  const mappings: SourceMapMappings = [];
  input.mappings.forEach((segments, line) => {
    for (const segment of segments) {
      const [outLine, outColumn] = moved(line, segment[0]);
      while (mappings.length <= outLine) mappings.push([]);
      const copy = segment.slice() as typeof segment;
      copy[0] = outColumn;
      mappings[outLine]!.push(copy);
    }
  });
  const map: RawSourceMap = { ...input.map, mappings: encode(mappings) };
  return INLINE_PREFIX + Buffer.from(JSON.stringify(map), 'utf8').toString('base64');
}
