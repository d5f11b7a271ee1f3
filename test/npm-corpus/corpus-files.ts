// Where the corpus packages are installed, which of their files are JavaScript, and which module
// format Node itself gives each file (node-format.ts, then syntax detection).
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Format } from './instrument-file.js';
import { declaredFormat } from './node-format.js';

export { declaredFormat };

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const nodeModules = join(repoRoot, 'node_modules');

const require = createRequire(import.meta.url);
type Acorn = typeof import('acorn');
const acorn = require('acorn') as Acorn;

export function packageDir(name: string): string {
  return join(nodeModules, ...name.split('/'));
}

export function installedVersion(name: string): string {
  return (JSON.parse(readFileSync(join(packageDir(name), 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * Every .js/.mjs/.cjs file of one installed package, sorted. A nested node_modules holds other
 * packages (versions that could not be hoisted): they are not this package's code.
 */
export function javaScriptFiles(name: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(path);
      } else if (entry.isFile() && /\.[cm]?js$/.test(entry.name)) {
        files.push(path);
      }
    }
  };
  walk(packageDir(name));
  return files.sort();
}

export function displayPath(file: string): string {
  return relative(nodeModules, file);
}

/** Parses as Node would compile the file: a CommonJS body is a function body (top-level return). */
export function parseAs(code: string, format: Format): unknown {
  return acorn.parse(code, {
    ecmaVersion: 'latest',
    sourceType: format === 'module' ? 'module' : 'script',
    allowHashBang: true,
    allowReturnOutsideFunction: format === 'commonjs',
  });
}

export type NodeView = { format: Format; ast: unknown } | { format: null; error: string };

/**
 * The format Node 20.19+ gives a file. A typeless .js is CommonJS unless it only parses as an
 * ES module (Node's syntax detection, on by default since 20.19).
 */
export function nodeView(source: string, file: string): NodeView {
  const declared = declaredFormat(file);
  const candidates: Format[] = declared ? [declared] : ['commonjs', 'module'];
  let firstError: string | undefined;
  for (const format of candidates) {
    try {
      return { format, ast: parseAs(source, format) };
    } catch (error) {
      firstError ??= (error as Error).message;
    }
  }
  return { format: null, error: firstError ?? 'no format' };
}

/** Async functions, methods and arrows in a parsed file: what the instrumenter should count. */
export function countAsyncFunctions(ast: unknown): number {
  let count = 0;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (typeof n.type !== 'string') return;
    if ((n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression') && n.async === true) count++;
    for (const key in n) if (key !== 'type') visit(n[key]);
  };
  visit(ast);
  return count;
}
