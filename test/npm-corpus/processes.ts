// Runs a script bare (`node script`) and under the profiler with chosen node_modules packages
// instrumented, and reads back from the trace which of their files were instrumented.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { readTrace } from '../../src/trace/read-trace.js';
import { nodeModules, repoRoot } from './corpus-files.js';
import { INSTRUMENT_MODULES_ENV } from './emulate/module-names.js';

export const cliPath = join(repoRoot, 'bin', 'async-prof.js');

/**
 * NPM_CORPUS_EMULATE=1: instead of the CLI's `--instrument-modules`, load a stand-in next to the
 * profiler that instruments the packages the same way (emulate/register.ts). For seeing today
 * what instrumented packages do; the tests proper use the CLI option.
 */
export const emulating = process.env.NPM_CORPUS_EMULATE === '1';

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

let shim: Promise<string> | undefined;

/** Bundles the stand-in once per test file; it lives under node_modules so it finds acorn and sucrase. */
function emulationShim(): Promise<string> {
  shim ??= (async () => {
    const dir = join(nodeModules, '.cache', 'async-prof-npm-corpus');
    mkdirSync(dir, { recursive: true });
    const here = join(repoRoot, 'test', 'npm-corpus', 'emulate');
    await build({
      entryPoints: { register: join(here, 'register.ts'), hooks: join(here, 'hooks.ts') },
      outdir: dir,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'error',
    });
    return join(dir, 'register.mjs');
  })();
  return shim;
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
  const common = ['run', '--no-serve', '--quiet', '-o', trace];
  if (!emulating) return run([cliPath, ...common, '--instrument-modules', modules.join(','), script, ...args], { timeoutMs });
  const register = await emulationShim();
  return run([cliPath, ...common, script, ...args], {
    timeoutMs,
    env: { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${register}`.trim(), [INSTRUMENT_MODULES_ENV]: modules.join(',') },
  });
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
