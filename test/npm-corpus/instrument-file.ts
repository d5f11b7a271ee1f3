// The one place the corpus tests touch the instrumenter's API. The instrumenter is being
// rewritten: when its entry point or result shape changes, only this file should have to follow.
import { transformSource } from '../../instrument/transform.js';

export type Format = 'module' | 'commonjs';

export interface Instrumented {
  code: string;
  /** The format the instrumenter decided the file runs as. */
  format: Format;
  /** How many async functions it instrumented. */
  tasks: number;
}

/**
 * Instruments one file as if it were user code, whatever directory it lives in.
 * `declared` is what Node's rules say before looking at the syntax (extension, package.json
 * "type"); undefined leaves the decision to the instrumenter, as Node 20.19+ decides typeless
 * files by their syntax. Throws whatever the instrumenter throws.
 */
export function instrumentFile(source: string, file: string, declared: Format | undefined): Instrumented {
  const { code, format, tasks } = transformSource(source, file, declared, true);
  return { code, format, tasks };
}
