// Child processes that are not Node (a shell, git, python) run unprofiled; the run still shows
// each one as a process: its program and arguments, when it started and exited, and how. The
// parent writes that as the child's part of the trace (contract: a Process record whose Meta says
// notNode), when Node emits the child's 'exit' (child-events.ts: no listener a program could
// count). A child still running when the parent exits has no part.
import { RecordKind, buildMeta, DEFAULT_BLOCKING_THRESHOLD_MS, DEFAULT_CLOCK_TICK_US } from '../contract/index.js';
import { observeChildEvents } from './child-events.js';
import { hrOriginMs, primordials } from './primordials.js';
import { TraceWriter } from './trace-writer.js';

interface Started {
  file: string;
  args: string[];
  atMs: number;
  epochMs: number;
  part: string;
}

export interface OtherPrograms {
  /** A child was spawned (ChildProcess.prototype.spawn returned) with Node's spawn options: its file and args. */
  spawned(child: object, spawnOptions: unknown, atMs: number, epochMs: number): void;
}

export function recordOtherPrograms(options: { isNode: (file: unknown) => boolean; nextPart: () => string; cwd: string }): OtherPrograms {
  const started = new primordials.WeakMap<object, Started>();
  observeChildEvents((self, event, args) => {
    if (event !== 'exit') return;
    const child = started.get(self);
    if (child === undefined) return;
    started.delete(self);
    writePart(child, (self as { pid?: unknown }).pid, args[1], args[2], options);
  });
  return {
    spawned(child, spawnOptions, atMs, epochMs) {
      const o = spawnOptions as { file?: unknown; args?: unknown } | null;
      if (typeof o?.file !== 'string' || options.isNode(o.file)) return;
      const args = primordials.isArray(o.args) ? primordials.arrayFrom(o.args as unknown[]).slice(1).map((a) => primordials.String(a)) : [];
      started.set(child, { file: o.file, args, atMs, epochMs, part: options.nextPart() });
    },
  };
}

function writePart(child: Started, pid: unknown, code: unknown, signal: unknown, options: { cwd: string }): void {
  const writer = new TraceWriter(child.part, Number.MAX_SAFE_INTEGER);
  const meta = buildMeta(
    {
      script: child.file,
      args: child.args,
      cwd: options.cwd,
      startEpochMs: child.epochMs,
      originMs: child.atMs,
      // This process's clock: the child's span goes on the parent's time axis as it is.
      hrOriginMs: hrOriginMs(),
      blockingThresholdMs: DEFAULT_BLOCKING_THRESHOLD_MS,
      samplingIntervalUs: 0,
      clockTickUs: DEFAULT_CLOCK_TICK_US,
      // It ran no code of ours: no frames to tell apart.
      profilerDir: '',
      notNode: true,
    },
    { pid: typeof pid === 'number' ? pid : -1, version: '', platform: process.platform, arch: process.arch },
  );
  writer.writeJson(RecordKind.Meta, meta);
  writer.writeJson(RecordKind.Start, { atMs: child.atMs });
  writer.writeJson(RecordKind.End, {
    exitCode: typeof code === 'number' ? code : null,
    signal: typeof signal === 'string' ? signal : null,
    endMs: primordials.now(),
    dropped: 0,
    tasks: 0,
  });
  writer.close();
}
