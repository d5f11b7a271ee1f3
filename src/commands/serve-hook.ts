// What `run` does once the report is printed: serve the timeline (unless --no-serve) and open it
// (unless --no-open), until Ctrl-C. On CI (the CI environment variable set) it does not serve
// unless a --port was given, so a forgotten --no-serve cannot hang a pipeline.
import { UsageError } from '../errors.js';
import type { TraceModel } from '../model/types.js';
import { serveUntilInterrupted } from '../server/serve-view.js';

export interface ServeOptions {
  serve?: boolean;
  open?: boolean;
  port?: number;
  /** `run --json`: stdout carries the report, so the URL goes to stderr. */
  json?: boolean;
}

function onCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

export async function afterRun(tracePath: string, model: TraceModel, options: ServeOptions): Promise<void> {
  if (options.serve === false) return;
  if (onCi() && options.port === undefined) {
    process.stderr.write(`async-prof: CI detected, not serving the timeline; view it with: npx async-prof view ${tracePath}\n`);
    return;
  }
  try {
    await serveUntilInterrupted(model, { port: options.port, open: options.open, urlStream: options.json ? process.stderr : process.stdout });
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(`${error.message} (the trace is saved: async-prof view ${tracePath} --port <n>)`);
    throw error;
  }
}
