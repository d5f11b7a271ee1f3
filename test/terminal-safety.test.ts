// Nothing from a trace reaches the terminal raw (issue 20): a real script whose method name, mark
// and error message hold escape sequences, recorded and then printed by every command that
// prints text. Control characters must come out escaped ("\x1b"), in every printer; JSON keeps
// the text as it was.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terminalBlock, terminalText } from '../src/output/terminal-text.js';
import type { ReportJson } from '../src/report/report-json.js';
import { runCli } from './helpers/cli.js';

const script = join('test', 'fixtures', 'terminal', 'escape-names.mjs');
const EVIL = '\x1b]0;owned\x07\x1b[2J\x1b[1;1H\x1b[31m\x9b2J\u202e';
const SHOWN = '\\x1b]0;owned\\x07\\x1b[2J\\x1b[1;1H\\x1b[31m\\x9b2J\\u202e';
// Any control character but line breaks and tabs, and the bidirectional override.
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/;
/** Only our own colours may carry ESC: \x1b[...m. */
const RAW_BUT_COLOUR = /\u001b(?!\[[0-9;]*m)|[\u0000-\u0008\u000b-\u001a\u001c-\u001f\u007f-\u009f\u202e]/;

const tmp = mkdtempSync(join(tmpdir(), 'async-prof-terminal-'));
const trace = join(tmp, 'escapes.trace');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeAll(async () => {
  // The error is uncaught: Node prints it raw on the script's own stderr, which is the script's
  // business; the trace records it for the reports below.
  const run = await runCli(['run', '--no-serve', '--quiet', '-o', trace, script], { env: { ESCAPE_FAIL: '1' } });
  expect(run.code, run.stderr).toBe(1);
});

describe('text from a trace on a terminal', () => {
  it('run prints its report with every escape sequence shown escaped', async () => {
    const run = await runCli(['run', '--no-serve', '-o', join(tmp, 'run.trace'), script]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout + run.stderr).not.toMatch(RAW);
    expect(run.stderr).toContain(`Shop.brew${SHOWN}`);
    expect(run.stderr).toContain(`mark${SHOWN}`);
  });

  it('report, compare and export print none raw; report --json keeps the text as it was', async () => {
    const report = await runCli(['report', trace]);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout + report.stderr).not.toMatch(RAW);
    expect(report.stdout).toContain(`Error: failed${SHOWN}`);
    expect(report.stdout).toContain(`Shop.brew${SHOWN}`);

    const coloured = await runCli(['report', trace], { env: { FORCE_COLOR: '1' } });
    expect(coloured.stdout + coloured.stderr).not.toMatch(RAW_BUT_COLOUR);

    const compare = await runCli(['compare', trace, trace]);
    expect(compare.code, compare.stderr).toBe(0);
    expect(compare.stdout + compare.stderr).not.toMatch(RAW);
    expect(compare.stdout).toContain('Shop.brew\\x1b');

    const exported = await runCli(['export', trace, '--html', join(tmp, 'out.html')]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).not.toMatch(RAW);

    const json = await runCli(['report', '--json', trace]);
    const parsed = JSON.parse(json.stdout) as ReportJson;
    expect(parsed.tasks.map((t) => t.name)).toContain(`Shop.brew${EVIL}`);
    expect(parsed.errors[0]!.message).toBe(`failed${EVIL}`);
  });

  it('ci reports a crash with such a message, in the human and github reporters, none raw', async () => {
    const human = await runCli(['ci', script, '--runs', '1', '--max-lag', '1000', '--reporter', 'human'], { env: { ESCAPE_FAIL: '1', FORCE_COLOR: '1' } });
    expect(human.code, human.stderr).toBe(2);
    expect(human.stdout).toContain(`failed${SHOWN}`);
    expect(human.stdout + human.stderr).not.toMatch(RAW_BUT_COLOUR);
    const github = await runCli(['ci', script, '--runs', '1', '--max-lag', '1000', '--reporter', 'github'], { env: { ESCAPE_FAIL: '1' } });
    expect(github.code).toBe(2);
    expect(github.stdout + github.stderr).not.toMatch(RAW);
  });

  it('an error line of the CLI itself is escaped too', async () => {
    const result = await runCli(['report', join(tmp, `missing${EVIL}.trace`)]);
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(RAW);
    expect(result.stderr).toContain(`missing${SHOWN}.trace`);
  });
});

describe('terminalText and terminalBlock', () => {
  it('escape every control character, cut long text with a count, and keep only our colours in blocks', () => {
    expect(terminalText('a\x1b[2Jb\nc\td\x7f\x85')).toBe('a\\x1b[2Jb\\nc\\td\\x7f\\x85');
    expect(terminalText('x'.repeat(600))).toBe(`${'x'.repeat(500)}… (100 more characters)`);
    expect(terminalText('plain µs — ok')).toBe('plain µs — ok');
    expect(terminalBlock('\x1b[1mbold\x1b[22m\n\x1b]0;t\x07\tend', true)).toBe('\x1b[1mbold\x1b[22m\n\\x1b]0;t\\x07\tend');
    expect(terminalBlock('\x1b[1mbold\x1b[22m', false)).toBe('\\x1b[1mbold\\x1b[22m');
  });
});
