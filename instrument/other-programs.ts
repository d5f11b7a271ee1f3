// Child processes that are not Node (a shell, git, python) run unprofiled; the run still shows
// each one as a process: its program and arguments, when it started and exited, and how. The
// parent writes that as the child's part of the trace (contract: a Process record whose Meta says
// notNode), when Node emits the child's 'exit': seen as ChildProcess.prototype.emit sends it, with
// no listener a program could count. A child still running when the parent exits has no part.
import { createRequire } from 'node:module';
import { RecordKind, buildMeta, DEFAULT_BLOCKING_THRESHOLD_MS, DEFAULT_CLOCK_TICK_US } from '../contract/index.js';
import { replaceMethod } from './fidelity/replace-method.js';
import { primordials } from './primordials.js';
import { TraceWriter } from './trace-writer.js';

interface Started {
  file: string;
  args: string[];
  atMs: number;
  epochMs: number;
  part: string;
}

/** Is `file` a program of the child processes we record ourselves (Node): they write their own part. */
export type IsNode = (file: unknown) => boolean;

export function recordOtherPrograms(options: { isNode: IsNode; nextPart: () => string; cwd: string }): void {
  try {
    const { ChildProcess } = createRequire(import.meta.url)('node:child_process') as { ChildProcess: { prototype: object } };
    const started = new primordials.WeakMap<object, Started>();
    replaceMethod(ChildProcess.prototype, 'spawn', (original) =>
      function (this: unknown, spawnOptions: unknown) {
        const atMs = primordials.now();
        const epochMs = primordials.dateNow();
        const result = primordials.apply(original, this, primordials.arrayFrom(arguments));
        try {
          const o = spawnOptions as { file?: unknown; args?: unknown } | null;
          if (typeof this === 'object' && this !== null && typeof o?.file === 'string' && !options.isNode(o.file)) {
            const args = primordials.isArray(o.args) ? (o.args as unknown[]).slice(1).map((a) => primordials.String(a)) : [];
            started.set(this, { file: o.file, args, atMs, epochMs, part: options.nextPart() });
          }
        } catch {
          // Then it is not shown as a process: its childProcess resource still is.
        }
        return result;
      },
    );
    replaceMethod(ChildProcess.prototype, 'emit', (original) =>
      function (this: unknown, event: unknown, code: unknown, signal: unknown) {
        if (event === 'exit' && typeof this === 'object' && this !== null) {
          try {
            const child = started.get(this);
            if (child !== undefined) {
              started.delete(this);
              writePart(child, (this as { pid?: unknown }).pid, code, signal, options);
            }
          } catch {
            // The profiler never adds a failure of its own to the program's.
          }
        }
        return primordials.apply(original, this, primordials.arrayFrom(arguments));
      },
    );
  } catch {
    // Programs other than Node then show as childProcess resources only.
  }
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
      hrOriginMs: Number(primordials.hrtimeBigint()) / 1e6 - primordials.now(),
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
