// Every JavaScript file of the corpus packages goes through the instrumenter as if it were user
// code, and what comes out must still be JavaScript that Node accepts, in the same format, on the
// same lines, with every async function instrumented.
//
// Files that Node could not parse either (test fixtures with deliberate syntax errors, Flow
// sources...) are counted and skipped: the instrumenter only owes Node's own behaviour there.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countAsyncFunctions, declaredFormat, displayPath, installedVersion, javaScriptFiles, nodeView, parseAs } from './corpus-files.js';
import { instrumentFile } from './instrument-file.js';
import { CORPUS, instrumentedNames } from './packages.js';

interface Failure {
  file: string;
  /** Short, stable description used to group failures: what went wrong, without positions. */
  cause: string;
  detail: string;
}

interface PackageStats {
  name: string;
  version: string;
  files: number;
  bytes: number;
  skipped: { file: string; error: string }[];
  failures: Failure[];
  asyncFunctions: number;
  ms: number;
}

const stats: PackageStats[] = [];

function newlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** "Unexpected token (12:7)" and "... line 12" group with their kind, not their place. */
function generalise(message: string): string {
  return message
    .split('\n')[0]!
    .replace(/\s+/g, ' ')
    .replace(/\(\d+:\d+\)/g, '(L:C)')
    .replace(/\d+/g, 'N')
    .slice(0, 160);
}

function checkFile(file: string, pkg: PackageStats): void {
  const source = readFileSync(file, 'utf8');
  pkg.files++;
  pkg.bytes += Buffer.byteLength(source);
  const shown = displayPath(file);
  const node = nodeView(source, file);
  if (node.format === null) {
    pkg.skipped.push({ file: shown, error: node.error });
    return;
  }
  const fail = (cause: string, detail: string) => pkg.failures.push({ file: shown, cause, detail });
  const expectedTasks = countAsyncFunctions(node.ast);
  pkg.asyncFunctions += expectedTasks;

  let out;
  try {
    out = instrumentFile(source, file, declaredFormat(file));
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    fail(`transform threw: ${generalise(message)}`, message.split('\n')[0]!);
    return;
  }
  try {
    parseAs(out.code, node.format);
  } catch (error) {
    const { message, pos, loc } = error as Error & { pos?: number; loc?: { line: number } };
    // The inserted code around the error says which insertion broke it; the original line
    // (lines are kept) says what the source had there.
    const at = pos ?? 0;
    const context = `${out.code.slice(Math.max(0, at - 16), at).split('\n').pop()!}⟨here⟩${out.code.slice(at, at + 12).split('\n')[0]!}`;
    const original = loc ? (source.split('\n')[loc.line - 1] ?? '').trim().slice(0, 80) : '';
    fail(`output does not parse as ${node.format}: ${generalise(message)} at ${generalise(context)}`, `${message}; original line: ${original}`);
  }
  if (out.format !== node.format) fail(`runs as ${out.format}, Node runs it as ${node.format}`, `declared ${declaredFormat(file) ?? 'nothing'}`);
  const before = newlines(source);
  const after = newlines(out.code);
  // Stack traces and every line the trace names rely on this.
  if (before !== after) fail('line count changed', `${before} -> ${after} newlines`);
  if (out.tasks !== expectedTasks) fail('not every async function instrumented', `${out.tasks} of ${expectedTasks}`);
}

describe('npm corpus: instrument every file, parse the output back', () => {
  for (const entry of CORPUS) {
    it(`${entry.name}`, () => {
      const started = performance.now();
      const pkg: PackageStats = { name: entry.name, version: installedVersion(entry.name), files: 0, bytes: 0, skipped: [], failures: [], asyncFunctions: 0, ms: 0 };
      stats.push(pkg);
      for (const name of instrumentedNames(entry)) {
        for (const file of javaScriptFiles(name)) checkFile(file, pkg);
      }
      pkg.ms = performance.now() - started;
      expect(pkg.files, 'no JavaScript files found: is the package installed?').toBeGreaterThan(0);
      const report = pkg.failures.map((f) => `${f.file}: ${f.cause} [${f.detail}]`);
      expect(report).toEqual([]);
    });
  }
});

afterAll(() => {
  const total = {
    packages: stats.length,
    files: stats.reduce((n, s) => n + s.files, 0),
    megabytes: +(stats.reduce((n, s) => n + s.bytes, 0) / 1e6).toFixed(2),
    skipped: stats.reduce((n, s) => n + s.skipped.length, 0),
    failed: new Set(stats.flatMap((s) => s.failures.map((f) => f.file))).size,
    asyncFunctions: stats.reduce((n, s) => n + s.asyncFunctions, 0),
    seconds: +(stats.reduce((n, s) => n + s.ms, 0) / 1000).toFixed(2),
  };
  const byCause = new Map<string, string[]>();
  for (const s of stats) for (const f of s.failures) byCause.set(f.cause, [...(byCause.get(f.cause) ?? []), f.file]);
  const causes = [...byCause].sort((a, b) => b[1].length - a[1].length).map(([cause, files]) => ({ cause, count: files.length, files }));
  const summary = { total, causes, packages: stats };
  // For whoever fixes the instrumenter: the whole list, not only what fits in a test message.
  const dir = join(tmpdir(), 'async-prof-npm-corpus');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'transform-summary.json'), JSON.stringify(summary, null, 2));
  const lines = [
    `npm corpus: ${total.files} files, ${total.megabytes} MB in ${total.packages} packages, ${total.asyncFunctions} async functions, ${total.seconds} s;` +
      ` ${total.skipped} skipped (Node cannot parse them either), ${total.failed} failed`,
    ...causes.map((c) => `  ${c.count} x ${c.cause} (e.g. ${c.files[0]})`),
    `  details: ${join(dir, 'transform-summary.json')}`,
  ];
  console.log(lines.join('\n'));
});
