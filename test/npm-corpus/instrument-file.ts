// The one place the corpus tests touch the instrumenter's API: when its entry point or result
// shape changes, only this file should have to follow.
import { instrument } from '../../instrument/transform.js';

export type Format = 'module' | 'commonjs';

export interface Instrumented {
  code: string;
  /** The format the instrumented file runs as. */
  format: Format;
  /** How many async functions it instrumented. */
  tasks: number;
}

let nextId = 1;

/**
 * Instruments one file as if it were user code, whatever directory it lives in. `declared` is
 * what Node's rules say before looking at the syntax (extension, package.json "type");
 * undefined lets the syntax decide, as Node 20.19+ does for typeless files (CommonJS unless it
 * only parses as an ES module). Throws whatever the instrumenter throws.
 */
export function instrumentFile(source: string, file: string, declared: Format | undefined): Instrumented {
  const result = instrument(source, {
    file,
    sourceType: declared === 'module' ? 'module' : declared === 'commonjs' ? 'script' : 'detect',
    allocateIds: (count) => {
      const first = nextId;
      nextId += count;
      return first;
    },
  });
  return { code: result.code, format: result.sourceType === 'module' ? 'module' : 'commonjs', tasks: result.tasks };
}
