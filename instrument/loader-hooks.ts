// ES module hooks (module.register), run in Node's loader thread. They wrap whatever loads the
// module (Node itself, or tsx, whose hooks come next in the chain) and instrument the source it
// hands back: resolution, formats and compilation stay exactly what they would be without us.
// CommonJS files whose source Node leaves to the CommonJS loader (source null) are instrumented
// on the main thread (cjs-hooks.ts).
import { fileURLToPath } from 'node:url';
import type { MessagePort } from 'node:worker_threads';
import type { ModuleMessage, WarningMessage } from './module-registry.js';
import { allocateFunctionIds, timeZeroTaken } from './runtime.js';
import { isProgramFile, type InstrumentScope } from './scope.js';
import { describeFailure, instrument } from './transform.js';

export interface LoaderHookData {
  scope: InstrumentScope;
  /** The recorder's shared memory: function ids and the time-zero flag (runtime.ts). */
  words: Int32Array;
  port: MessagePort;
  /** Imported last by the first program module, so that it runs right before its body. */
  timeZeroUrl: string;
}

let data: LoaderHookData | null = null;
const decoder = new TextDecoder();

export function initialize(options: LoaderHookData): void {
  data = options;
}

interface LoadContext {
  format?: string | null;
  conditions: string[];
  importAttributes?: Record<string, string>;
}
interface LoadResult {
  format: string;
  source?: string | ArrayBuffer | ArrayBufferView | null;
  shortCircuit?: boolean;
}
type NextLoad = (url: string, context: LoadContext) => Promise<LoadResult>;

export async function load(url: string, context: LoadContext, nextLoad: NextLoad): Promise<LoadResult> {
  const result = await nextLoad(url, context);
  if (data === null || !url.startsWith('file:') || result.source == null) return result;
  if (result.format !== 'module' && result.format !== 'commonjs') return result;
  let file: string;
  try {
    file = fileURLToPath(url);
  } catch {
    return result;
  }
  if (!isProgramFile(file, data.scope)) return result;
  const source = typeof result.source === 'string' ? result.source : decoder.decode(result.source);
  const { words, port } = data;
  try {
    const module = result.format === 'module';
    const instrumented = instrument(source, {
      file,
      sourceType: module ? 'module' : 'script',
      allocateIds: (count) => allocateFunctionIds(words, count),
      appendImport: module && !timeZeroTaken(words) ? data.timeZeroUrl : undefined,
    });
    const message: ModuleMessage = {
      kind: 'module',
      url,
      module: { code: instrumented.code, edits: instrumented.edits, columns: instrumented.columns },
      table: instrumented.table,
    };
    port.postMessage(message);
    return { ...result, source: instrumented.code };
  } catch (error) {
    const message: WarningMessage = { kind: 'warning', message: describeFailure(file, error) };
    port.postMessage(message);
    return result;
  }
}
