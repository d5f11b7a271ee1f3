// `run --keep <duration>`: a flight recorder. The profiled process writes its trace as always;
// every half window this side (the CLI, never the profiled process) turns the file into a
// segment: it hard-links it into `<trace>.window/`, puts a new file at the trace's path holding
// copies of the run's header records (Meta, Start, the modules so far), and deletes the segments
// older than the window. The process's writers notice the new file within a few ms and reopen it
// (instrument/file-replaced.ts). Disk holds at most the window and a half; so does a snapshot.
//
// A snapshot (`async-prof snapshot <pid>`, or SIGUSR2 to this CLI's pid) writes the window so far
// as an ordinary trace (window-trace.ts); at the end of the run the trace file becomes the window.
// A registration file under the temp directory tells `snapshot` where the window of a pid is.
import { linkSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync, closeSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { Buffer } from 'node:buffer';
import { RecordKind, Stream } from '../../contract/index.js';
import { fileHeader, readOpenFile, records, windowRecord, writeWindow } from './window-trace.js';

/** Segments kept besides the file being written: with a rotation every half window, the last window and up to half more. */
const KEPT_SEGMENTS = 2;
/** The header records every segment starts with: what any stretch of the run needs to be read. */
const HEADER_KINDS: ReadonlySet<number> = new Set([RecordKind.Meta, RecordKind.Start, RecordKind.Module, RecordKind.Routes]);

export interface Registration {
  cliPid: number;
  scriptPid: number | null;
  trace: string;
  segments: string;
  keepMs: number;
  script: string;
  cwd: string;
}

/** Where running flight recorders register, one file per CLI pid (per user: others cannot read the paths). */
export function registrationDir(): string {
  let user = 'user';
  try {
    user = String(userInfo().uid);
  } catch {
    // No user database entry: one shared name.
  }
  return join(tmpdir(), `async-prof-${user}`, 'flight');
}

const segmentName = (n: number) => `seg-${String(n).padStart(8, '0')}.trace`;

/** Opens the window of a recorder: the file being written first (so a rotation meanwhile loses nothing), then the kept segments; returned oldest first. */
export function openWindow(trace: string, segments: string): number[] {
  const current = openSync(trace, 'r');
  const fds: number[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(segments).filter((n) => n.startsWith('seg-')).sort();
  } catch {
    // No segment yet.
  }
  for (const name of names) {
    try {
      fds.push(openSync(join(segments, name), 'r'));
    } catch {
      // Deleted by a rotation meanwhile: the oldest, outside the window by now.
    }
  }
  fds.push(current);
  return fds;
}

export function closeAll(fds: number[]): void {
  for (const fd of fds) {
    try {
      closeSync(fd);
    } catch {
      // Read already.
    }
  }
}

export class FlightRecorder {
  readonly segments: string;
  private readonly kept: string[] = [];
  private count = 0;
  private timer: NodeJS.Timeout | null = null;
  private registration: string | null = null;

  constructor(
    readonly trace: string,
    readonly keepMs: number,
    private readonly script: string,
    private readonly cwd: string,
  ) {
    this.segments = `${trace}.window`;
    rmSync(this.segments, { recursive: true, force: true });
    mkdirSync(this.segments, { recursive: true });
  }

  /** Starts rotating, and registers for `snapshot` under both pids. */
  start(scriptPid: number | null): void {
    this.timer = setInterval(() => this.rotate(), this.keepMs / 2);
    this.timer.unref();
    const entry: Registration = { cliPid: process.pid, scriptPid, trace: this.trace, segments: this.segments, keepMs: this.keepMs, script: this.script, cwd: this.cwd };
    try {
      const dir = registrationDir();
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      this.registration = join(dir, `${process.pid}.json`);
      writeFileSync(this.registration, JSON.stringify(entry));
    } catch {
      // Without it, `snapshot <pid>` cannot find this run; SIGUSR2 to this process still works.
      this.registration = null;
    }
  }

  /** Turns the file being written into a segment and starts a new one (its header records copied). */
  rotate(): void {
    try {
      const sources = [...this.kept.slice(-1), this.trace];
      const parts: Buffer[] = [fileHeader(), windowRecord({ keepMs: this.keepMs, snapshot: false, writtenEpochMs: Date.now() })];
      const seen = new Set<number>();
      for (const path of sources) {
        const fd = openSync(path, 'r');
        let bytes: Buffer;
        try {
          bytes = readOpenFile(fd);
        } finally {
          closeSync(fd);
        }
        for (const r of records(bytes)) {
          if (r.stream !== Stream.Process || !HEADER_KINDS.has(r.kind) || seen.has(r.seq)) continue;
          seen.add(r.seq);
          parts.push(bytes.subarray(r.start, r.end));
        }
      }
      const next = `${this.trace}.next`;
      writeFileSync(next, Buffer.concat(parts));
      const segment = join(this.segments, segmentName(++this.count));
      linkSync(this.trace, segment);
      renameSync(next, this.trace);
      this.kept.push(segment);
      while (this.kept.length > KEPT_SEGMENTS) unlinkSync(this.kept.shift()!);
    } catch (error) {
      process.stderr.write(`async-prof: warning: the flight recorder could not rotate its window (${(error as Error).message.split('\n')[0]}); the trace grows until the next rotation\n`);
    }
  }

  /** The window so far as a trace at `out`. */
  snapshot(out: string): void {
    const fds = openWindow(this.trace, this.segments);
    try {
      writeWindow(fds, out, { keepMs: this.keepMs, snapshot: true, writtenEpochMs: Date.now() });
    } finally {
      closeAll(fds);
    }
  }

  /** After the process ended: the trace file becomes the whole window; segments and registration go. */
  finish(): void {
    this.stop();
    const fds = openWindow(this.trace, this.segments);
    try {
      writeWindow(fds, this.trace, { keepMs: this.keepMs, snapshot: false, writtenEpochMs: Date.now() });
    } finally {
      closeAll(fds);
    }
    rmSync(this.segments, { recursive: true, force: true });
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.registration) rmSync(this.registration, { force: true });
    this.registration = null;
  }
}

/** The running recorder that `pid` names (the CLI's or the script's pid), or null. Stale entries (a CLI that died) are removed. */
export function findRecorder(pid: number): Registration | null {
  const dir = registrationDir();
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return null;
  }
  for (const name of names) {
    let entry: Registration;
    try {
      entry = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Registration;
    } catch {
      continue;
    }
    if (!alive(entry.cliPid)) {
      rmSync(join(dir, name), { force: true });
      continue;
    }
    if (entry.cliPid === pid || entry.scriptPid === pid) return entry;
  }
  return null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
