// Runs a sample as a real child process, without the profiler, and captures what it printed.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tsxCli = join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');

export interface SampleRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  lines: string[];
  wallMs: number;
}

export function runSample(
  file: string,
  options: { scale?: number; seed?: number; env?: NodeJS.ProcessEnv; args?: string[]; timeoutMs?: number; input?: string } = {},
): Promise<SampleRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsxCli, join(repoRoot, 'samples', file), ...(options.args ?? [])], {
      cwd: repoRoot,
      env: {
        ...process.env,
        SAMPLE_TIME_SCALE: String(options.scale ?? 0.1),
        SAMPLE_SEED: String(options.seed ?? 42),
        ...options.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout,
        stderr,
        lines: stdout.split('\n').map((l) => l.trimEnd()).filter((l) => l.length > 0),
        wallMs: performance.now() - started,
      });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Parses the first number in a line, e.g. "Total time: 5.01 seconds" -> 5.01. */
export function firstNumber(line: string | undefined): number {
  const m = line?.match(/-?\d+(?:\.\d+)?/);
  if (!m) throw new Error(`no number in line: ${JSON.stringify(line)}`);
  return Number(m[0]);
}
