// Errors the CLI turns into one line on stderr and a documented exit code (README, "Exit codes").

/** Bad command line or input file: exit 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
}

/** A trace that cannot be read: exit 1. */
export class TraceError extends Error {
  readonly exitCode = 1;
}
