// ES module side of the emulated --instrument-modules (loader thread). ES modules of the chosen
// packages get instrumented source; CommonJS files are left to the CommonJS loader on the main
// thread (register.ts), as async-prof's own loader does for user code.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { instrumentFile } from '../instrument-file.js';
import { isChosen } from './module-names.js';

let names: string[] = [];

export function initialize(data: { names: string[] }): void {
  names = data.names;
}

interface LoadResult {
  format: string;
  source?: string | ArrayBuffer | Uint8Array | null;
  shortCircuit?: boolean;
}
type NextLoad = (url: string, context: { format?: string | null }) => Promise<LoadResult>;

export async function load(url: string, context: { format?: string | null }, nextLoad: NextLoad): Promise<LoadResult> {
  const file = url.startsWith('file:') ? fileURLToPath(url) : '';
  if (!file || !/\.[cm]?js$/.test(file) || !isChosen(file, names)) return nextLoad(url, context);
  // Node's own decision (extension, "type", syntax detection) is the one to keep.
  const loaded = await nextLoad(url, context);
  if (loaded.format !== 'module') return loaded;
  const out = instrumentFile(readFileSync(file, 'utf8'), file, 'module');
  return { format: 'module', source: out.code, shortCircuit: true };
}
