// Errors the CLI turns into one line on stderr and a documented exit code (README, "Exit codes").

/** Bad command line or input file: exit 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
}

/** A trace that cannot be read: exit 1. */
export class TraceError extends Error {
  readonly exitCode = 1;
}

/** A trace that needs more heap to analyse than this process has: exit 1 unless rerun (commands/larger-heap.ts). */
export class HeapTooSmallError extends TraceError {
  constructor(
    message: string,
    readonly events: number,
    readonly neededMb: number,
    readonly limitMb: number,
    /** The --max-old-space-size that fits it, with room to spare. */
    readonly heapMb: number,
  ) {
    super(message);
  }
}
