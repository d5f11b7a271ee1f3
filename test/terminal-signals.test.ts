// Ctrl-C in a real terminal (tmux): the script gets one SIGINT under the profiler, as bare. The
// terminal sends it to the whole foreground group, the CLI and the script alike, so the CLI must
// not forward a second one; a SIGINT sent to the CLI alone still reaches the script.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cliPath } from './helpers/cli.js';
import { repoRoot } from './helpers/run-sample.js';

const script = join(repoRoot, 'test', 'fixtures', 'signals', 'count-sigints.cjs');
const sessions: string[] = [];
afterEach(() => {
  for (const name of sessions.splice(0)) {
    try {
      execFileSync('tmux', ['kill-session', '-t', name], { stdio: 'ignore' });
    } catch {
      // Already gone.
    }
  }
});

async function waitFor(file: string, ms: number): Promise<boolean> {
  for (const until = Date.now() + ms; Date.now() < until; ) {
    if (existsSync(file)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return existsSync(file);
}

/** Runs `command` in a new tmux session (a real terminal), presses Ctrl-C, returns the count. */
async function sigintsSeenAfterCtrlC(command: string[], out: string): Promise<string> {
  const name = `async-prof-sig-${process.pid}-${sessions.length}`;
  sessions.push(name);
  const shellCommand = command.map((arg) => `'${arg.replace(/'/g, "'\\''")}'`).join(' ');
  execFileSync('tmux', ['new-session', '-d', '-s', name, '-x', '200', '-y', '50', `${shellCommand}; sleep 30`], { cwd: repoRoot });
  expect(await waitFor(`${out}.ready`, 20_000)).toBe(true);
  execFileSync('tmux', ['send-keys', '-t', name, 'C-c']);
  expect(await waitFor(out, 10_000)).toBe(true);
  return readFileSync(out, 'utf8');
}

describe('signals from the terminal', () => {
  it('Ctrl-C: one SIGINT, bare and under the profiler', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'async-prof-sigint-'));
    const bare = await sigintsSeenAfterCtrlC([process.execPath, script, join(dir, 'bare')], join(dir, 'bare'));
    const profiled = await sigintsSeenAfterCtrlC([process.execPath, cliPath, 'run', '--no-serve', '--quiet', '--out', join(dir, 'x.trace'), script, join(dir, 'profiled')], join(dir, 'profiled'));
    expect(bare).toBe('1');
    expect(profiled).toBe('1');
  }, 60_000);

  it('a SIGINT sent to the CLI alone is passed on to the script', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'async-prof-sigint-'));
    const out = join(dir, 'count');
    const cli = spawn(process.execPath, [cliPath, 'run', '--no-serve', '--quiet', '--out', join(dir, 'x.trace'), script, out], { cwd: repoRoot, stdio: 'ignore' });
    expect(await waitFor(`${out}.ready`, 20_000)).toBe(true);
    cli.kill('SIGINT');
    expect(await waitFor(out, 10_000)).toBe(true);
    expect(readFileSync(out, 'utf8')).toBe('1');
    await new Promise((resolve) => cli.on('close', resolve));
  }, 60_000);
});
