// Runs the real CLI (bin/async-prof.js, built into dist/ by `npm test`) as a child process.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './run-sample.js';

export const cliPath = join(repoRoot, 'bin', 'async-prof.js');

/** The script's own stderr: async-prof's lines (`async-prof: ...`, e.g. a loaded machine's warning) taken out. */
export function programStderr(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => !line.startsWith('async-prof: '))
    .join('\n');
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  /** Peak resident memory of the CLI process in MB, with `measureRss` (null if it never exited normally). */
  maxRssMb: number | null;
}

/** Loaded before the CLI: at exit, writes the process's peak RSS (kB) to the file named in the env. */
const RSS_HOOK = `data:text/javascript,import{writeFileSync}from"node:fs";process.on("exit",()=>writeFileSync(process.env.ASYNC_PROF_TEST_RSS_FILE,String(process.resourceUsage().maxRSS)))`;

export function runCli(
  args: string[],
  options: {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    input?: string;
    timeoutMs?: number;
    /** Called with all of stdout so far whenever more arrives: to act on the script while it runs. */
    onStdout?: (stdout: string) => void;
    /** Measure the CLI's peak resident memory (maxRssMb). */
    measureRss?: boolean;
    /** Flags for the CLI's own Node (not passed on to a script it runs, as NODE_OPTIONS would be). */
    nodeArgs?: string[];
  } = {},
): Promise<CliResult> {
  const started = performance.now();
  const rssDir = options.measureRss ? mkdtempSync(join(tmpdir(), 'async-prof-rss-')) : null;
  const rssFile = rssDir ? join(rssDir, 'max-rss') : null;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...(rssFile ? ['--import', RSS_HOOK] : []), cliPath, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, ...options.env, ...(rssFile ? { ASYNC_PROF_TEST_RSS_FILE: rssFile } : {}) },
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
      let maxRssMb: number | null = null;
      if (rssDir) {
        try {
          maxRssMb = Number(readFileSync(rssFile!, 'utf8')) / 1024;
        } catch {
          // It did not get to its exit handlers (killed).
        }
        rmSync(rssDir, { recursive: true, force: true });
      }
      resolve({ code, signal, stdout, stderr, wallMs: performance.now() - started, maxRssMb });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** The report JSON that `run --json` prints as the last line of stdout. */
export function lastJsonLine<T = unknown>(stdout: string): T {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as T;
}
