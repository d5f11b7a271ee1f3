// A JSON document whose large arrays are produced element by element: it can become one object
// (toValue) or be written out in pieces (writeJson) with the same bytes JSON.stringify would
// give the object, so a report of millions of tasks never has to be one string in memory.

export type Doc =
  | { readonly streamed: 'array'; readonly length: number; readonly item: (i: number) => unknown; readonly raw?: (i: number) => string }
  | { readonly streamed: 'object'; readonly fields: readonly (readonly [string, Doc | unknown])[] };

/**
 * Pieces written at a time: small enough to be short-lived strings in V8's young generation
 * (larger ones go to the large-object space, which only a full collection frees).
 */
const CHUNK_CHARS = 1 << 15;

export function streamedArray(length: number, item: (i: number) => unknown, raw?: (i: number) => string): Doc {
  return raw ? { streamed: 'array', length, item, raw } : { streamed: 'array', length, item };
}

export function streamedObject(fields: readonly (readonly [string, Doc | unknown])[]): Doc {
  return { streamed: 'object', fields };
}

function isDoc(value: unknown): value is Doc {
  return typeof value === 'object' && value !== null && 'streamed' in value && ((value as Doc).streamed === 'array' || (value as Doc).streamed === 'object');
}

export function toValue(value: Doc | unknown): unknown {
  if (!isDoc(value)) return value;
  if (value.streamed === 'array') return Array.from({ length: value.length }, (_, i) => toValue(value.item(i)));
  const out: Record<string, unknown> = {};
  for (const [key, field] of value.fields) out[key] = toValue(field);
  return out;
}

/** Writes the document's JSON through `write`, in pieces of about `chunk` characters. */
export function writeJson(value: Doc | unknown, write: (text: string) => void, chunk = CHUNK_CHARS): void {
  let buffer = '';
  const out = (text: string) => {
    buffer += text;
    if (buffer.length >= chunk) {
      write(buffer);
      buffer = '';
    }
  };
  emit(value, out);
  if (buffer.length > 0) write(buffer);
}

function emit(value: Doc | unknown, out: (text: string) => void): void {
  if (!isDoc(value)) {
    out(JSON.stringify(value) ?? 'null');
    return;
  }
  if (value.streamed === 'array') {
    out('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out(',');
      if (value.raw) out(value.raw(i));
      else emit(value.item(i), out);
    }
    out(']');
    return;
  }
  out('{');
  let first = true;
  for (const [key, field] of value.fields) {
    // As JSON.stringify: a field whose value is undefined is left out.
    if (field === undefined) continue;
    if (!first) out(',');
    first = false;
    out(`${JSON.stringify(key)}:`);
    emit(field, out);
  }
  out('}');
}
