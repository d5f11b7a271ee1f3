// `async-prof run` options go before the script; everything after it is the script's own, as
// with node and tsx. One of run's own options after the script gets a one-line note.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

describe('run: options after the script', () => {
  it('are the script\'s arguments, and a note says how to give them to async-prof', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'async-prof-args-'));
    const script = join(dir, 'args.cjs');
    writeFileSync(script, 'console.log(JSON.stringify(process.argv.slice(2)));\n');
    const run = await runCli(['run', '--quiet', '--out', join(dir, 'x.trace'), script, '--no-serve', '--depth=2', '-o', 'x'], { env: { CI: '1' } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim().split('\n')[0]).toBe('["--no-serve","--depth=2","-o","x"]');
    const notes = run.stderr.split('\n').filter((line) => line.includes('note:'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^async-prof: note: --no-serve -o after the script go to the script; for async-prof, write them before it: async-prof run --no-serve -o /);
  });

  it('says nothing when the script\'s arguments are its own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'async-prof-args-'));
    const script = join(dir, 'args.cjs');
    writeFileSync(script, 'console.log(process.argv.length);\n');
    const run = await runCli(['run', '--no-serve', '--quiet', '--out', join(dir, 'x.trace'), script, '--verbose', 'input.txt']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/note:/);
  });
});
