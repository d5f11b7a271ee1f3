// What `run` does once the report is printed: serve the viewer (the viewer issue fills this in).
import type { TraceModel } from '../model/types.js';

export interface ServeOptions {
  serve?: boolean;
  open?: boolean;
  port?: number;
}

export async function afterRun(tracePath: string, _model: TraceModel, options: ServeOptions): Promise<void> {
  if (options.serve === false) return;
  process.stderr.write(`view the timeline: npx async-prof view ${tracePath}\n`);
}
