// After damage in a version 2 trace: the next place where a whole, undamaged record header
// starts (its sync word, then a header whose own checksum holds). Scans in bounded windows.
import { RECORD_HEADER_BYTES, RECORD_SYNC_BYTES, readRecordHeader } from '../../contract/index.js';
import type { ByteSource } from './byte-source.js';

const WINDOW_BYTES = 1024 * 1024;

/** The offset ≥ `from` of the next valid record header, or `source.size` if there is none. */
export function findNextRecord(source: ByteSource, from: number): number {
  let start = from;
  while (start + RECORD_HEADER_BYTES <= source.size) {
    // Windows overlap by a header's length, so a header across a window's edge is still seen.
    const window = source.read(start, WINDOW_BYTES + RECORD_HEADER_BYTES);
    let at = window.indexOf(RECORD_SYNC_BYTES);
    while (at >= 0 && at + RECORD_HEADER_BYTES <= window.length) {
      if (readRecordHeader(window, at) !== null) return start + at;
      at = window.indexOf(RECORD_SYNC_BYTES, at + 1);
    }
    if (window.length < WINDOW_BYTES + RECORD_HEADER_BYTES) break;
    start += WINDOW_BYTES;
  }
  return source.size;
}
