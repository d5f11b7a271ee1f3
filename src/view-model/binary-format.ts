// The view model on the wire: one binary blob the browser maps without copying or parsing numbers.
// Layout: "APVIEW01" | u32 header byte length | u32 0 | header JSON (UTF-8) | pad to 8 |
// each column of COLUMN_TYPES in order, padded to 8 bytes. The header JSON lists column lengths.
// Runs in Node and in the browser (no Node APIs).
import { COLUMN_TYPES, type ColumnType, type ViewColumns, type ViewHeader, type ViewModel } from './types.js';

const MAGIC = 'APVIEW01';

type AnyTypedArray = Float64Array | Float32Array | Int32Array | Uint16Array | Uint8Array;

const BYTES: Record<ColumnType, number> = { f64: 8, f32: 4, i32: 4, u16: 2, u8: 1 };

function makeView(type: ColumnType, buffer: ArrayBuffer, offset: number, length: number): AnyTypedArray {
  switch (type) {
    case 'f64':
      return new Float64Array(buffer, offset, length);
    case 'f32':
      return new Float32Array(buffer, offset, length);
    case 'i32':
      return new Int32Array(buffer, offset, length);
    case 'u16':
      return new Uint16Array(buffer, offset, length);
    case 'u8':
      return new Uint8Array(buffer, offset, length);
  }
}

const pad8 = (n: number) => (n + 7) & ~7;

/**
 * The blob as a list of chunks that are views on the columns (nothing is copied): write them in
 * order to a stream, or join them with concatChunks.
 */
export function encodeViewModel(model: ViewModel): Uint8Array[] {
  const names = Object.keys(COLUMN_TYPES) as (keyof ViewColumns)[];
  const omitted = new Set<keyof ViewColumns>(['taskChildren', 'taskGroupOff', 'loopCum']);
  if (segmentsAreContiguous(model.columns)) omitted.add('segEnd');
  const lengths: Record<string, number> = {};
  for (const name of names) lengths[name] = omitted.has(name) ? -1 : model.columns[name].length;
  const headerBytes = new TextEncoder().encode(JSON.stringify({ ...model.header, lengths }));
  const prefix = new Uint8Array(pad8(16 + headerBytes.length));
  for (let i = 0; i < MAGIC.length; i++) prefix[i] = MAGIC.charCodeAt(i);
  new DataView(prefix.buffer).setUint32(8, headerBytes.length, true);
  prefix.set(headerBytes, 16);
  const chunks: Uint8Array[] = [prefix];
  const zeros = new Uint8Array(8);
  for (const name of names) {
    const column = model.columns[name];
    if (omitted.has(name) || column.byteLength === 0) continue;
    chunks.push(new Uint8Array(column.buffer, column.byteOffset, column.byteLength));
    const padding = pad8(column.byteLength) - column.byteLength;
    if (padding > 0) chunks.push(zeros.subarray(0, padding));
  }
  return chunks;
}

export function chunksByteLength(chunks: readonly Uint8Array[]): number {
  let total = 0;
  for (const c of chunks) total += c.byteLength;
  return total;
}

export function concatChunks(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunksByteLength(chunks));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/** Maps a blob made by encodeViewModel. The columns are views on `bytes`' buffer (not copies). */
export function decodeViewModel(bytes: Uint8Array): ViewModel {
  let magic = '';
  for (let i = 0; i < MAGIC.length; i++) magic += String.fromCharCode(bytes[i] ?? 0);
  if (magic !== MAGIC) throw new Error('not an async-prof view model (bad magic)');
  // Typed array views need an aligned start: copy when the blob sits at an odd offset.
  if (bytes.byteOffset % 8 !== 0) bytes = bytes.slice();
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  const parsed = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + headerLength))) as ViewHeader & {
    lengths: Record<string, number>;
  };
  const { lengths, ...header } = parsed;
  const columns: Partial<Record<keyof ViewColumns, AnyTypedArray>> = {};
  let offset = bytes.byteOffset + pad8(16 + headerLength);
  const derived: (keyof ViewColumns)[] = [];
  for (const [name, type] of Object.entries(COLUMN_TYPES) as [keyof ViewColumns, ColumnType][]) {
    const length = lengths[name] ?? 0;
    if (length < 0) {
      derived.push(name);
      continue;
    }
    if (offset + length * BYTES[type] > bytes.byteOffset + bytes.byteLength) throw new Error(`view model truncated at column ${name}`);
    columns[name] = makeView(type, bytes.buffer as ArrayBuffer, offset, length);
    offset += pad8(length * BYTES[type]);
  }
  const full = columns as ViewColumns;
  for (const name of derived) Object.assign(full, { [name]: derive(name, full) });
  return { header: header as ViewHeader, columns: full };
}

/** True when each segment ends where the next one of its task starts, the last where the task ends. */
function segmentsAreContiguous(c: ViewColumns): boolean {
  const n = c.taskStart.length;
  for (let i = 0; i < n; i++) {
    const hi = c.taskSegOff[i + 1]!;
    for (let s = c.taskSegOff[i]!; s < hi; s++) {
      if (c.segEnd[s] !== (s + 1 < hi ? c.segStart[s + 1] : c.taskEnd[i])) return false;
    }
  }
  return true;
}

// Columns the encoder leaves out because the decoder rebuilds them in one pass (less to send).
function derive(name: keyof ViewColumns, c: ViewColumns): AnyTypedArray {
  const n = c.taskStart.length;
  switch (name) {
    case 'taskChildren': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) if (c.taskParent[i]! >= 0) out[c.taskParent[i]!]!++;
      return out;
    }
    case 'taskGroupOff': {
      // Groups are sorted by task, groups outside any task (-1) last.
      const out = new Int32Array(n + 1);
      const groups = c.groupTask.length;
      let g = 0;
      for (let t = 0; t <= n; t++) {
        while (g < groups && c.groupTask[g]! >= 0 && c.groupTask[g]! < t) g++;
        out[t] = g;
      }
      return out;
    }
    case 'loopCum': {
      const m = c.loopStart.length;
      const out = new Float64Array(m + 1);
      for (let k = 0; k < m; k++) out[k + 1] = out[k]! + (c.loopEnd[k]! - c.loopStart[k]!);
      return out;
    }
    case 'segEnd': {
      const out = new Float64Array(c.segStart.length);
      for (let i = 0; i < n; i++) {
        const hi = c.taskSegOff[i + 1]!;
        for (let s = c.taskSegOff[i]!; s < hi; s++) out[s] = s + 1 < hi ? c.segStart[s + 1]! : c.taskEnd[i]!;
      }
      return out;
    }
    default:
      throw new Error(`view model: column ${name} missing`);
  }
}
