// Runs the real CLI (bin/async-prof.js, built into dist/ by `npm test`) as a child process.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './run-sample.js';

export const cliPath = join(repoRoot, 'bin', 'async-prof.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  wallMs: number;
}

export function runCli(
  args: string[],
  options: {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    input?: string;
    timeoutMs?: number;
    /** Called with all of stdout so far whenever more arrives: to act on the script while it runs. */
    onStdout?: (stdout: string) => void;
  } = {},
): Promise<CliResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      options.onStdout?.(stdout);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 90_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, wallMs: performance.now() - started });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** The report JSON that `run --json` prints as the last line of stdout. */
export function lastJsonLine<T = unknown>(stdout: string): T {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as T;
}
