// Runs a script bare (`node script`) and under the profiler with chosen node_modules packages
// instrumented, and reads back from the trace which of their files were instrumented.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTrace } from '../../src/trace/read-trace.js';
import { repoRoot } from './corpus-files.js';

export const cliPath = join(repoRoot, 'bin', 'async-prof.js');

export interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export function run(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {}): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started });
    });
  });
}

export function requireBuilt(): void {
  if (!existsSync(join(repoRoot, 'dist', 'instrument', 'preload.js'))) {
    throw new Error('async-prof is not built: run `node scripts/build.mjs` first');
  }
}

let traceDir: string | undefined;

export function newTracePath(label: string): string {
  traceDir ??= mkdtempSync(join(tmpdir(), 'async-prof-npm-corpus-'));
  return join(traceDir, `${label.replace(/[^a-z0-9.-]+/gi, '_')}-${Math.random().toString(36).slice(2, 8)}.trace`);
}

/** Tens of MB a run: kept only when asked for (NPM_CORPUS_KEEP_TRACES=1), to look into a failure. */
export function removeTraces(): void {
  if (!traceDir) return;
  if (process.env.NPM_CORPUS_KEEP_TRACES === '1') console.log(`npm corpus: traces kept in ${traceDir}`);
  else rmSync(traceDir, { recursive: true, force: true });
  traceDir = undefined;
}

export function runBare(script: string, args: string[], timeoutMs?: number): Promise<Outcome> {
  return run([script, ...args], { timeoutMs });
}

/** `async-prof run --no-serve --quiet --instrument-modules <names> -o <trace> script args`. */
export async function runInstrumented(script: string, args: string[], modules: string[], trace: string, timeoutMs?: number): Promise<Outcome> {
  return run([cliPath, 'run', '--no-serve', '--quiet', '-o', trace, '--instrument-modules', modules.join(','), script, ...args], { timeoutMs });
}

/** The CLI's own lines, which a bare run does not have. */
export function withoutProfilerLines(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => !line.startsWith('async-prof: '))
    .join('\n');
}

export function optionMissing(outcome: Outcome): boolean {
  return /unknown option '--instrument-modules'/.test(outcome.stderr);
}

/** Files the instrumented code registered in the trace (one Module record each), absolute. */
export function instrumentedModules(trace: string): string[] {
  return existsSync(trace) ? readTrace(trace).modules.map((m) => m.file) : [];
}

/** Recorded tasks per file, as `report --json` lists them. */
export async function tasksByFile(trace: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (!existsSync(trace)) return counts;
  const report = await run([cliPath, 'report', '--json', trace]);
  if (report.code !== 0) throw new Error(`async-prof report --json failed:\n${report.stderr}`);
  const json = JSON.parse(report.stdout) as { tasks: { file: string }[] };
  for (const task of json.tasks) counts.set(task.file, (counts.get(task.file) ?? 0) + 1);
  return counts;
}

/** Module files and task counts that belong to one package (its own files, not nested ones). */
export function ofPackage(paths: Iterable<string>, name: string): string[] {
  const marker = `node_modules/${name}/`;
  return [...paths].filter((p) => {
    const at = p.lastIndexOf(marker);
    return at !== -1 && !p.slice(at + marker.length).includes('node_modules/');
  });
}
