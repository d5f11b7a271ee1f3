// What a reader found wrong in a trace, counted as it goes and told at the end in a few lines:
// a run of damage is one warning with a count, however long it is (a disk's worth of zeros
// after a trace is one line, not millions). Every line is made of numbers and record kind names
// only, never of text from the trace.
import { RecordKind } from '../../contract/index.js';

const KIND_NAMES = new Map<number, string>(Object.entries(RecordKind).map(([name, kind]) => [kind, name]));

export function kindName(kind: number): string {
  return KIND_NAMES.get(kind) ?? `kind ${kind}`;
}

function bytes(n: number): string {
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${n} byte${n === 1 ? '' : 's'}`;
}

const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
const at = (offset: number) => `byte ${offset.toLocaleString('en-US')}`;

/** Kind names with counts, most frequent first: "Events ×2, Profile". */
function kindList(kinds: Map<number, number>): string {
  return [...kinds]
    .sort((a, b) => b[1] - a[1])
    .map(([kind, n]) => (n > 1 ? `${kindName(kind)} ×${n}` : kindName(kind)))
    .join(', ');
}

export class DamageLedger {
  private unreadableRuns = 0;
  private unreadableBytes = 0;
  private firstUnreadable = -1;
  private unreadableAtEnd = false;
  private readonly damagedKinds = new Map<number, number>();
  private damaged = 0;
  private firstDamaged: { offset: number; kind: number; why: string } | null = null;
  private truncated: { offset: number; kind: number | null; bytes: number } | null = null;
  private readonly duplicateKinds = new Map<number, number>();
  private missingChunks = 0;
  private missingRecords = 0;
  private reorderedChunks = 0;
  private readonly unknownKinds = new Map<number, number>();

  /** Bytes from `offset` that are not a record (garbage, or a record's remains). */
  unreadable(offset: number, length: number, atEnd: boolean): void {
    if (length <= 0) return;
    this.unreadableRuns++;
    this.unreadableBytes += length;
    if (this.firstUnreadable < 0) this.firstUnreadable = offset;
    this.unreadableAtEnd = atEnd;
  }

  /** A whole record that failed its checksum or its shape: skipped. */
  damagedRecord(offset: number, kind: number, why: string): void {
    this.damaged++;
    this.damagedKinds.set(kind, (this.damagedKinds.get(kind) ?? 0) + 1);
    this.firstDamaged ??= { offset, kind, why };
  }

  /** The file ends inside a record (a write cut short, or a process killed while writing). */
  cutShort(offset: number, kind: number | null, length: number): void {
    this.truncated = { offset, kind, bytes: length };
  }

  duplicate(kind: number): void {
    this.duplicateKinds.set(kind, (this.duplicateKinds.get(kind) ?? 0) + 1);
  }

  missing(events: boolean, n: number): void {
    if (events) this.missingChunks += n;
    else this.missingRecords += n;
  }

  reordered(n: number): void {
    this.reorderedChunks += n;
  }

  unknownKind(kind: number): void {
    this.unknownKinds.set(kind, (this.unknownKinds.get(kind) ?? 0) + 1);
  }

  /** True when something was lost or had to be put right (unknown kinds from newer writers are neither). */
  get any(): boolean {
    return (
      this.unreadableRuns > 0 ||
      this.damaged > 0 ||
      this.truncated !== null ||
      this.duplicateKinds.size > 0 ||
      this.missingChunks + this.missingRecords + this.reorderedChunks > 0
    );
  }

  /** One line per kind of damage; `cutShortExplained`: the caller says why the trace stops, so the cut-off record needs no line. */
  warnings(options: { cutShortExplained?: boolean } = {}): string[] {
    const out: string[] = [];
    if (this.damaged > 0) {
      const first = this.firstDamaged!;
      out.push(
        `skipped ${count(this.damaged, 'damaged record')} (${kindList(this.damagedKinds)}; the first at ${at(first.offset)}: ${first.why}): what they held is missing from the report`,
      );
    }
    if (this.unreadableRuns > 0) {
      const where = this.unreadableRuns === 1 ? `from ${at(this.firstUnreadable)}` : `in ${count(this.unreadableRuns, 'stretch', 'stretches')}, the first at ${at(this.firstUnreadable)}`;
      const tail = this.unreadableRuns === 1 && this.unreadableAtEnd ? ' (after the last record)' : '';
      out.push(`skipped ${bytes(this.unreadableBytes)} that are not records ${where}${tail}`);
    }
    if (this.missingChunks > 0) out.push(`${count(this.missingChunks, 'event chunk')} missing from the trace: the report lacks their events`);
    if (this.missingRecords > 0) out.push(`${count(this.missingRecords, 'record')} of the profiled process missing from the trace`);
    if (this.duplicateKinds.size > 0) {
      const n = [...this.duplicateKinds.values()].reduce((a, b) => a + b, 0);
      out.push(`ignored ${count(n, 'duplicated record')} (${kindList(this.duplicateKinds)})`);
    }
    if (this.reorderedChunks > 0) out.push(`${count(this.reorderedChunks, 'event chunk')} out of order in the file: read in their recorded order`);
    if (this.truncated && !options.cutShortExplained) {
      const t = this.truncated;
      out.push(`the trace ends in the middle of ${t.kind === null ? 'a record' : `a ${kindName(t.kind)} record`} at ${at(t.offset)} (${bytes(t.bytes)} lost)`);
    }
    if (this.unknownKinds.size > 0) out.push(`skipped records of kinds this async-prof does not know (${kindList(this.unknownKinds)}): written by a newer version?`);
    return out;
  }
}
