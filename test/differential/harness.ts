// Differential harness: runs a program bare (node, or tsx for TypeScript and JSX) and under
// `async-prof run`, and compares stdout, stderr and exit status byte for byte. The only thing
// taken out before comparing is async-prof's own stderr lines (`async-prof: ...`).
//
// Programs are copied to a scratch directory outside the repository before they run, so that
// neither the repository's package.json ("type": "module") nor its tsconfig.json decides how a
// program is loaded: a program sees only the package.json / tsconfig.json it brings itself.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateProgram } from './generate.js';

export const differentialDir = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(differentialDir, '..', '..');
export const corpusDir = join(differentialDir, 'corpus');
export const cliPath = join(repoRoot, 'bin', 'async-prof.js');
export const tsxPath = join(repoRoot, 'node_modules', '.bin', 'tsx');
/** Per worktree, so that two checkouts running the suite at once do not share copies. */
export const scratchRoot = join(tmpdir(), `async-prof-differential-${createHash('sha256').update(repoRoot).digest('hex').slice(0, 8)}`);

/** Entries run bare with tsx; the rest (and extension-less files) with node. */
const TSX_EXTENSIONS = new Set(['.ts', '.tsx', '.mts', '.cts', '.jsx']);
const ENTRY_EXTENSIONS = new Set(['.js', '.mjs', '.cjs', ...TSX_EXTENSIONS]);
const ENTRY_STEM = 'main';
const ARGS_FILE = 'diff-args.json';
export const PROFILER_LINE_PREFIX = 'async-prof: ';
const timeoutFromEnv = Number(process.env.DIFF_TIMEOUT_MS);
export const DEFAULT_TIMEOUT_MS = Number.isFinite(timeoutFromEnv) && timeoutFromEnv > 0 ? timeoutFromEnv : 20_000;

export interface Program {
  /** Path relative to test/differential (or absolute for programs outside it): the test name. */
  name: string;
  /** The file (single-file program) or directory (program with its own files) to copy. */
  source: string;
  /** The entry's file name inside the program's directory. */
  entry: string;
  args: string[];
  /** Arguments to test/differential/run.ts that rerun it, when not its path. */
  rerun?: string[];
}

/** A program ready to run: its copy's directory and entry. */
export interface StagedProgram {
  program: Program;
  dir: string;
  entry: string;
}

export interface RunResult {
  command: string[];
  stdout: Buffer;
  stderr: Buffer;
  /** Exit code, or 128 + signal number as a shell reports a death by signal. */
  status: number;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  wallMs: number;
}

export interface Verdict {
  ok: boolean;
  program: Program;
  /** One line per differing stream (first differing line of each) and the exit status, joined by ' ; '. Empty when ok. */
  firstDifference: string;
  /** Everything a reader needs: the diff, the program, the commands to rerun it. */
  message: string;
  bare: RunResult;
  profiled: RunResult;
  /** async-prof's own stderr lines (warnings), removed before the comparison. */
  profilerLines: string[];
}

function isEntryName(name: string, stemRequired: boolean): boolean {
  const ext = extname(name);
  if (stemRequired) return name === ENTRY_STEM || (basename(name, ext) === ENTRY_STEM && ENTRY_EXTENSIONS.has(ext));
  return ENTRY_EXTENSIONS.has(ext);
}

function startsWithHashbang(file: string): boolean {
  return readFileSync(file).subarray(0, 2).toString('latin1') === '#!';
}

function readArgs(dir: string): string[] {
  const file = join(dir, ARGS_FILE);
  if (!existsSync(file)) return [];
  const args: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) throw new Error(`${file}: expected a JSON array of strings`);
  return args as string[];
}

function nameOf(path: string): string {
  const rel = relative(differentialDir, path);
  return (rel.startsWith('..') ? path : rel).split(sep).join('/');
}

/**
 * The rule (README.md): a directory holding a file named `main` or `main.<ext>` is one program
 * with that entry; elsewhere every file with a script extension, or with none but a `#!` first
 * line, is a program of its own.
 */
export function programAt(path: string): Program {
  if (statSync(path).isDirectory()) {
    const entries = readdirSync(path).filter((name) => isEntryName(name, true) && statSync(join(path, name)).isFile());
    if (entries.length !== 1) throw new Error(`${path}: expected exactly one entry named main or main.<ext>, found ${entries.length}`);
    return { name: nameOf(path), source: path, entry: entries[0]!, args: readArgs(path) };
  }
  return { name: nameOf(path), source: path, entry: basename(path), args: [] };
}

export function findPrograms(root: string = corpusDir): Program[] {
  const programs: Program[] = [];
  const visit = (dir: string): void => {
    const names = readdirSync(dir).sort();
    if (names.some((name) => isEntryName(name, true) && statSync(join(dir, name)).isFile())) {
      programs.push(programAt(dir));
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) visit(path);
      else if (isEntryName(name, false) || (extname(name) === '' && startsWithHashbang(path))) programs.push(programAt(path));
    }
  };
  visit(root);
  return programs;
}

function scratchDirFor(program: Program): string {
  const rel = program.name.startsWith('/') ? join('outside', createHash('sha256').update(program.name).digest('hex').slice(0, 12)) : program.name;
  // A single file gets a directory of its own, named after it (dots would read as extensions).
  return join(scratchRoot, 'programs', statSync(program.source).isDirectory() ? rel : rel.replace(/\./g, '_'));
}

/** Copies the program to its scratch directory, fresh, so that one run cannot leave files for the next. */
export function stage(program: Program): StagedProgram {
  const dir = scratchDirFor(program);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (statSync(program.source).isDirectory()) cpSync(program.source, dir, { recursive: true });
  else cpSync(program.source, join(dir, program.entry));
  return { program, dir, entry: program.entry };
}

/**
 * The environment both runs get, built from nothing so that the caller's (vitest's workers,
 * npm's npm_* variables, CI, NODE_OPTIONS) cannot leak into one run and not the other.
 */
export function programEnv(): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: process.env.HOME ?? tmpdir(),
    LANG: 'C.UTF-8',
    TZ: 'UTC',
    TERM: 'dumb',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
  };
  if (process.env.TMPDIR !== undefined) env.TMPDIR = process.env.TMPDIR;
  return env;
}

export function bareCommand(entry: string, args: string[]): string[] {
  return TSX_EXTENSIONS.has(extname(entry)) ? [tsxPath, entry, ...args] : ['node', entry, ...args];
}

export function tracePathFor(staged: StagedProgram, label = 'x'): string {
  return join(scratchRoot, 'traces', relative(join(scratchRoot, 'programs'), staged.dir), `${label}.trace`);
}

export function profiledCommand(entry: string, args: string[], tracePath: string): string[] {
  return ['node', cliPath, 'run', '--no-serve', '--quiet', '-o', tracePath, entry, ...args];
}

const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9, SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15 };

export function runCommand(command: string[], cwd: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    // Own process group: a hung profiled run is the CLI plus its child, and both must go.
    const child = spawn(command[0]!, command.slice(1), { cwd, env: programEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        command,
        stdout: Buffer.concat(stdout),
        stderr: Buffer.concat(stderr),
        status: code ?? 128 + (signal === null ? 0 : (SIGNAL_NUMBERS[signal] ?? 0)),
        signal,
        timedOut,
        wallMs: performance.now() - started,
      });
    });
  });
}

/** Removes async-prof's own lines; latin1 keeps every byte as one character, so this is exact. */
export function withoutProfilerLines(stderr: Buffer): { rest: string; removed: string[] } {
  const lines = stderr.toString('latin1').split('\n');
  const kept: string[] = [];
  const removed: string[] = [];
  for (const line of lines) (line.startsWith(PROFILER_LINE_PREFIX) ? removed : kept).push(line);
  return { rest: kept.join('\n'), removed: removed.map((line) => Buffer.from(line, 'latin1').toString('utf8')) };
}

function shown(line: string | undefined): string {
  if (line === undefined) return '(end of output)';
  // Differences a terminal hides (trailing blanks, CR, control or invisible characters) are made visible.
  return /[\u0000-\u001f\u007f-\u009f\u00a0\u2028\u2029\ufeff]|\s$/.test(line) ? JSON.stringify(line) : line;
}

const CONTEXT_LINES = 3;
const MAX_HUNK_LINES = 12;

/** A unified-style hunk around the first difference; null when the texts are equal. */
export function firstDifferenceHunk(
  stream: string,
  bare: string,
  profiled: string,
  labels: readonly [string, string] = ['bare', 'profiled'],
): { hunk: string; summary: string } | null {
  if (bare === profiled) return null;
  // Lines without their terminating newline: an empty output is no lines, "x\n" is one line.
  const toLines = (text: string) => (text === '' ? [] : (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n'));
  const a = toLines(bare);
  const b = toLines(profiled);
  if (a.length === b.length && a.every((line, i) => line === b[i])) {
    const missing = bare.endsWith('\n') ? labels[1] : labels[0];
    return {
      hunk: `--- ${labels[0]} ${stream}\n+++ ${labels[1]} ${stream}\n@@ the same lines; only ${missing} has no newline at the end @@`,
      summary: `${stream}: ${missing} has no final newline`,
    };
  }
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const out = [`--- ${labels[0]} ${stream}`, `+++ ${labels[1]} ${stream}`, `@@ first difference at line ${start + 1} @@`];
  for (let i = Math.max(0, start - CONTEXT_LINES); i < start; i++) out.push(`  ${shown(a[i])}`);
  const side = (lines: string[], end: number, sign: string) => {
    // A side with nothing left at the first difference ended there: say so instead of showing nothing.
    if (end === start && start >= lines.length) out.push(`${sign} ${shown(undefined)}`);
    for (let i = start; i < Math.min(end, start + MAX_HUNK_LINES); i++) out.push(`${sign} ${shown(lines[i])}`);
    if (end - start > MAX_HUNK_LINES) out.push(`${sign} ... (${end - start - MAX_HUNK_LINES} more lines)`);
  };
  side(a, endA, '-');
  side(b, endB, '+');
  const summary = `${stream} line ${start + 1}: ${labels[0]} ${shown(a[start])} | ${labels[1]} ${shown(b[start])}`;
  return { hunk: out.join('\n'), summary };
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function reproduceLines(staged: StagedProgram, bare: string[], profiled: string[]): string[] {
  const env = Object.entries(programEnv())
    .map(([key, value]) => (key === 'PATH' || key === 'HOME' || key === 'TMPDIR' ? `${key}="$${key}"` : `${key}=${shellQuote(value)}`))
    .join(' ');
  const line = (command: string[]) => `  cd ${shellQuote(staged.dir)} && env -i ${env} ${command.map(shellQuote).join(' ')} </dev/null`;
  const source = staged.program.source.startsWith(repoRoot) ? relative(repoRoot, staged.program.source) : staged.program.source;
  const rerun = staged.program.rerun ?? [source];
  return ['reproduce (the program was copied to the directory below):', line(bare), line(profiled), `  or: npx tsx test/differential/run.ts ${rerun.map(shellQuote).join(' ')}`];
}

/** Compares two finished runs. `left`/`right` are bare and profiled (or bare twice for --check-bare). */
export function compareRuns(staged: StagedProgram, bare: RunResult, profiled: RunResult, labels: readonly [string, string] = ['bare', 'profiled']): Verdict {
  const bareStderr = withoutProfilerLines(bare.stderr);
  const profiledStderr = withoutProfilerLines(profiled.stderr);
  const sections: string[] = [];
  const summaries: string[] = [];
  for (const [label, run] of [[labels[0], bare], [labels[1], profiled]] as const) {
    if (run.timedOut) {
      sections.push(`${label} run timed out and was killed`);
      summaries.push(`${label} run timed out`);
    }
  }
  const stdoutDiff = bare.stdout.equals(profiled.stdout)
    ? null
    : firstDifferenceHunk('stdout', bare.stdout.toString('utf8'), profiled.stdout.toString('utf8'), labels) ??
      // Different bytes that decode to the same text (invalid UTF-8): say so rather than show nothing.
      { hunk: 'stdout differs in bytes that are not valid UTF-8', summary: 'stdout bytes differ' };
  const stderrDiff =
    bareStderr.rest === profiledStderr.rest
      ? null
      : firstDifferenceHunk('stderr', Buffer.from(bareStderr.rest, 'latin1').toString('utf8'), Buffer.from(profiledStderr.rest, 'latin1').toString('utf8'), labels) ?? {
          hunk: 'stderr differs in bytes that are not valid UTF-8',
          summary: 'stderr bytes differ',
        };
  for (const diff of [stdoutDiff, stderrDiff]) {
    if (diff) {
      sections.push(diff.hunk);
      summaries.push(diff.summary);
    }
  }
  if (bare.status !== profiled.status) {
    sections.push(`exit status: ${labels[0]} ${bare.status}${bare.signal ? ` (${bare.signal})` : ''}, ${labels[1]} ${profiled.status}${profiled.signal ? ` (${profiled.signal})` : ''}`);
    summaries.push(`exit status ${labels[0]} ${bare.status}, ${labels[1]} ${profiled.status}`);
  }
  const ok = sections.length === 0;
  const message = ok
    ? ''
    : [
        `program: ${staged.program.name}`,
        ...sections,
        ...(profiledStderr.removed.length > 0 ? ['async-prof lines (removed before comparing):', ...profiledStderr.removed.map((l) => `  ${l}`)] : []),
        ...reproduceLines(staged, bare.command, profiled.command),
      ].join('\n');
  return { ok, program: staged.program, firstDifference: summaries.join(' ; '), message, bare, profiled, profilerLines: profiledStderr.removed };
}

export interface CompareOptions {
  timeoutMs?: number;
  /** Run the two sides one after the other instead of at once (quieter timing, slower). */
  sequential?: boolean;
}

export async function compareProgram(program: Program, options: CompareOptions = {}): Promise<Verdict> {
  const staged = stage(program);
  const tracePath = tracePathFor(staged);
  rmSync(dirname(tracePath), { recursive: true, force: true });
  mkdirSync(dirname(tracePath), { recursive: true });
  const bareRun = () => runCommand(bareCommand(staged.entry, program.args), staged.dir, options.timeoutMs);
  const profiledRun = () => runCommand(profiledCommand(staged.entry, program.args, tracePath), staged.dir, options.timeoutMs);
  let bare: RunResult;
  let profiled: RunResult;
  if (options.sequential) {
    bare = await bareRun();
    profiled = await profiledRun();
  } else {
    [bare, profiled] = await Promise.all([bareRun(), profiledRun()]);
  }
  return compareRuns(staged, bare, profiled);
}

/** Runs the program bare twice: a program whose two bare runs differ is not fit for the corpus. */
export async function checkBareDeterminism(program: Program, options: CompareOptions = {}): Promise<Verdict> {
  const staged = stage(program);
  const first = await runCommand(bareCommand(staged.entry, program.args), staged.dir, options.timeoutMs);
  const second = await runCommand(bareCommand(staged.entry, program.args), staged.dir, options.timeoutMs);
  return compareRuns(staged, first, second, ['bare-1', 'bare-2']);
}

/** Runs `task` over `items` with at most `limit` at once, results in input order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** A counting semaphore: tests declared concurrently take a slot before starting their processes. */
export function limiter(limit: number): <R>(task: () => Promise<R>) => Promise<R> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <R>(task: () => Promise<R>): Promise<R> => {
    // A finishing task hands its slot straight to the next waiter, so a newcomer cannot take it in between.
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

/** Writes a generated program where the harness can stage it like any other program directory. */
export function writeGenerated(seed: number, index: number, root = join(scratchRoot, 'generated-sources')): Program {
  const generated = generateProgram(seed, index);
  const dir = join(root, `seed-${seed}`, `program-${index}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, generated.fileName), generated.source);
  return { ...programAt(dir), name: `generated/seed-${seed}/program-${index}`, rerun: ['--generated', `${seed}:${index}`] };
}
