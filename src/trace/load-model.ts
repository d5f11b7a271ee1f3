import { buildModel } from '../model/build-model.js';
import type { TraceModel } from '../model/types.js';
import { readTrace } from './read-trace.js';

/** Reads a trace file and builds its model (throws TraceError with a one-line message). */
export function loadModel(path: string): TraceModel {
  return buildModel(readTrace(path));
}
