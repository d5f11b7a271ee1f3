// Which files are the program's own and get instrumented: everything outside node_modules and
// outside async-prof itself, plus the packages named with --instrument-modules.
import { isAbsolute, sep } from 'node:path';

export interface InstrumentScope {
  /** async-prof's own installation, with its trailing separator. */
  ownDir: string;
  /** Package names under node_modules to instrument like the program's own files. */
  modules: string[];
}

const NODE_MODULES = `${sep}node_modules${sep}`;

export function isProgramFile(path: string, scope: InstrumentScope): boolean {
  if (scope.ownDir !== '' && path.startsWith(scope.ownDir)) return false;
  const at = path.lastIndexOf(NODE_MODULES);
  if (at === -1) return true;
  if (scope.modules.length === 0) return false;
  const rest = path.slice(at + NODE_MODULES.length).split(sep);
  const name = rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  return scope.modules.includes(name);
}

/** `--instrument-modules a,@b/c` as the environment carries it. */
export function parseModuleList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((name) => name.trim()).filter((name) => name !== '');
}

/**
 * The file a module runner's id names: Vite's ids (the vite plugin's, and vitest's when it
 * evaluates a module) are paths that may carry a query; `\0` and other non-path ids are virtual
 * modules, which are nobody's source file (null).
 */
export function fileOfModuleId(id: string): string | null {
  if (id.startsWith('\0')) return null;
  const file = id.replace(/[?#].*$/, '');
  return isAbsolute(file) ? file : null;
}
