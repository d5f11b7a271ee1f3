// The decoded view model with the lookups the viewer needs (names, locations, source text,
// the segment or event-loop interval at a time, busy time in a range).
import { decodeViewModel } from '../src/view-model/binary-format.js';
import { OUTCOME_NAMES, SEGMENT_RUN, type ViewColumns, type ViewHeader, type ViewThread } from '../src/view-model/types.js';
import { RangeMax } from './range-max.js';
import { TimePyramid } from './time-pyramid.js';
import { lowerBound, upperBound } from './sorted.js';

export class Trace {
  readonly header: ViewHeader;
  readonly c: ViewColumns;
  readonly n: number;
  readonly groups: number;
  readonly wall: number;
  readonly strings: string[];
  readonly concMax: RangeMax;
  readonly concPyramid: TimePyramid;
  readonly lagPyramid: TimePyramid;
  /** Every thread (main first) when the run recorded worker threads; empty otherwise. */
  readonly threads: readonly ViewThread[];
  private readonly sources = new Map<string, string>();

  constructor(bytes: Uint8Array) {
    const model = decodeViewModel(bytes);
    this.header = model.header;
    this.c = model.columns;
    this.n = this.c.taskId.length;
    this.groups = this.c.groupTask.length;
    this.strings = this.header.strings;
    this.wall = Math.max(this.header.meta.wallMs, 0.001);
    for (const [file, line, text] of this.header.sources) this.sources.set(`${file}:${line}`, text);
    this.concMax = new RangeMax(this.c.concValue);
    this.concPyramid = new TimePyramid(this.c.concTime, this.c.concValue, this.wall, true);
    this.lagPyramid = new TimePyramid(this.c.lagTime, this.c.lagValue, this.wall, false);
    this.threads = this.header.threads ?? [];
  }

  /** The thread (index in `threads`) whose tasks include display index i; 0 without threads. */
  threadOf(i: number): number {
    for (let k = this.threads.length - 1; k > 0; k--) if (i >= this.threads[k]!.firstTask) return k;
    return 0;
  }

  str(index: number): string {
    return this.strings[index] ?? '';
  }
  name(i: number): string {
    return this.str(this.c.taskName[i]!) || '(anonymous)';
  }
  file(i: number): string {
    return this.str(this.c.taskFile[i]!);
  }
  location(i: number): string {
    return `${this.file(i)}:${this.c.taskLine[i]}`;
  }
  outcome(i: number): (typeof OUTCOME_NAMES)[number] {
    return OUTCOME_NAMES[this.c.taskOutcome[i]!] ?? 'fulfilled';
  }
  /** The text of a line of the task's file, when the trace carries it. */
  source(fileIndex: number, line: number): string | undefined {
    return this.sources.get(`${fileIndex}:${line}`);
  }
  segments(i: number): [number, number] {
    return [this.c.taskSegOff[i]!, this.c.taskSegOff[i + 1]!];
  }
  groupsOf(i: number): [number, number] {
    return [this.c.taskGroupOff[i]!, this.c.taskGroupOff[i + 1]!];
  }
  /** Groups of resources created outside any task. */
  orphanGroups(): [number, number] {
    return [this.c.taskGroupOff[this.n]!, this.groups];
  }

  /**
   * The segment of task i under time t: the run segment nearest t within `slackMs` (runs are drawn at
   * least a pixel wide, so a thin one under the pointer wins), else the segment containing t.
   */
  segmentAt(i: number, t: number, slackMs: number): number {
    const [lo, hi] = this.segments(i);
    if (lo === hi) return -1;
    const { segStart, segEnd, segKind } = this.c;
    const first = lowerBound(segEnd, t - slackMs, lo, hi);
    let best = -1;
    let bestDistance = Infinity;
    let containing = -1;
    for (let s = first; s < hi && segStart[s]! <= t + slackMs; s++) {
      if (segStart[s]! <= t && t <= segEnd[s]!) {
        // A run of some length under the pointer wins over the wait it touches.
        if (containing < 0 || (segKind[s] === SEGMENT_RUN && segEnd[s]! > segStart[s]!)) containing = s;
      }
      if (segKind[s] === SEGMENT_RUN && segEnd[s]! > segStart[s]!) {
        const d = t < segStart[s]! ? segStart[s]! - t : t > segEnd[s]! ? t - segEnd[s]! : 0;
        if (d < bestDistance) {
          bestDistance = d;
          best = s;
        }
      }
      if (s - first > 64) break;
    }
    if (containing >= 0 && segKind[containing] === SEGMENT_RUN) return containing;
    // A thin run (drawn a pixel wide) within half the slack counts as under the pointer.
    if (best >= 0 && bestDistance <= slackMs / 2) return best;
    return containing >= 0 ? containing : best;
  }

  /** Time the event loop spent in task code within [a, b]. */
  busyBetween(a: number, b: number): number {
    const { loopStart, loopEnd, loopCum } = this.c;
    const m = loopStart.length;
    if (m === 0 || b <= a) return 0;
    const i = upperBound(loopEnd, a); // first interval ending after a
    const j = lowerBound(loopStart, b); // first interval starting at or after b
    if (i >= j) return 0;
    let busy = loopCum[j]! - loopCum[i]!;
    if (loopStart[i]! < a) busy -= a - loopStart[i]!;
    if (loopEnd[j - 1]! > b) busy -= loopEnd[j - 1]! - b;
    return Math.max(0, busy);
  }

  /** The event-loop interval containing t (within slack), or -1. */
  loopIntervalAt(t: number, slackMs: number): number {
    const { loopStart, loopEnd } = this.c;
    const i = lowerBound(loopEnd, t - slackMs);
    if (i < loopStart.length && loopStart[i]! <= t + slackMs) return i;
    return -1;
  }

  /** Tasks in flight at t. */
  concurrencyAt(t: number): number {
    const i = upperBound(this.c.concTime, t) - 1;
    return i >= 0 ? this.c.concValue[i]! : 0;
  }

  /** Display index of the ancestor chain of i, root first. */
  ancestors(i: number): number[] {
    const out: number[] = [];
    for (let p = this.c.taskParent[i]!; p >= 0; p = this.c.taskParent[p]!) out.unshift(p);
    return out;
  }
}
