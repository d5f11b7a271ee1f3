// Whether the file system that holds a path has (next to) no room left: after a run whose trace
// stops early, that is the likely reason, and the one line about it should say so.
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';

/** Less room than this is a full disk for a trace (an event chunk alone is 256 kB). */
const FULL_BELOW_BYTES = 1024 * 1024;

/** "the disk holding it is full (ENOSPC: 62 kB free)", or null when there is room (or no telling). */
export function diskFullNote(path: string): string | null {
  try {
    const stats = statfsSync(dirname(path));
    const free = Number(stats.bavail) * Number(stats.bsize);
    if (free >= FULL_BELOW_BYTES) return null;
    return `the disk holding it is full (no space left on device: ${Math.round(free / 1024)} kB free)`;
  } catch {
    return null;
  }
}
