// The published shape of the API: async-prof, async-prof/vitest and async-prof/vite resolved
// through package.json "exports" by real consumers (ESM and CJS, JavaScript and TypeScript),
// and the Vite plugin in a real vitest run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './fixtures/ci/run-ci.js';

/** A project outside this repository with async-prof installed (a link to this checkout). */
function consumerProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'async-prof-consumer-'));
  mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
  symlinkSync(repoRoot, join(dir, 'node_modules', 'async-prof'), 'dir');
  symlinkSync(join(repoRoot, 'node_modules', '@types', 'node'), join(dir, 'node_modules', '@types', 'node'), 'dir');
  symlinkSync(join(repoRoot, 'node_modules', 'vitest'), join(dir, 'node_modules', 'vitest'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  return dir;
}

const blocker = `function spin(ms) { const end = performance.now() + ms; while (performance.now() < end) {} }`;

describe('package exports', () => {
  const dir = consumerProject();

  it('profiles a function from ESM and from CommonJS', () => {
    writeFileSync(
      join(dir, 'esm.mjs'),
      `import { profile } from 'async-prof';\n${blocker}\n` +
        `const r = await profile(async () => { await new Promise((ok) => setTimeout(ok, 5)); spin(70); return 'ok'; });\n` +
        `console.log(JSON.stringify({ value: r.value, version: r.version, blocking: r.blocking.map((b) => [b.function, b.file, b.line]), lag: typeof r.lag.p99Ms }));\n`,
    );
    writeFileSync(
      join(dir, 'cjs.cjs'),
      `const { profile, noBlockingOver } = require('async-prof');\nconst { asyncProf } = require('async-prof/vite');\n${blocker}\n` +
        `profile(() => { spin(70); return 42; }).then((r) => console.log(JSON.stringify({ value: r.value, blocking: r.blocking.map((b) => [b.function, b.file, b.line]), message: noBlockingOver(r, 50).message, plugin: asyncProf().name })));\n`,
    );
    const esm = spawnSync(process.execPath, ['esm.mjs'], { cwd: dir, encoding: 'utf8' });
    expect(esm.status, esm.stderr).toBe(0);
    expect(JSON.parse(esm.stdout)).toEqual({ value: 'ok', version: 1, blocking: [['spin', 'esm.mjs', 2]], lag: 'number' });
    const cjs = spawnSync(process.execPath, ['cjs.cjs'], { cwd: dir, encoding: 'utf8' });
    expect(cjs.status, cjs.stderr).toBe(0);
    const out = JSON.parse(cjs.stdout) as { value: number; blocking: unknown[]; message: string; plugin: string };
    expect(out).toMatchObject({ value: 42, blocking: [['spin', 'cjs.cjs', 3]], plugin: 'async-prof' });
    expect(out.message).toMatch(/^expected no blocking stretch over 50 ms, found 1:\n {2}- spin at cjs\.cjs:3 blocked the event loop for \d+(\.\d)? ms/);
  });

  it('is typed for TypeScript consumers of both module systems', () => {
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, types: ['node'], skipLibCheck: false }, files: ['consumer.mts', 'consumer.cts', 'matchers.mts'] }),
    );
    writeFileSync(
      join(dir, 'consumer.mts'),
      `import { profile, type ProfileResult, type CiResult } from 'async-prof';\nimport { asyncProf } from 'async-prof/vite';\n` +
        `const r: ProfileResult<number> = await profile(async () => 1);\nconst p99: number = r.lag.p99Ms;\nconst v: number = r.value;\nconst line: number | undefined = r.blocking[0]?.line;\n` +
        `const plugin: { name: string } = asyncProf({ exclude: /legacy/ });\nlet ci: CiResult['exitCode'] = 0;\nexport { p99, v, line, plugin, ci };\n` +
        `// @ts-expect-error: the value is a number\nconst wrong: string = r.value;\nexport { wrong };\n`,
    );
    writeFileSync(
      join(dir, 'consumer.cts'),
      `import asyncProf = require('async-prof');\nexport async function run(): Promise<number> { const r = await asyncProf.profile(() => 'x'); const s: string = r.value; return r.blocking.length + s.length; }\n`,
    );
    writeFileSync(
      join(dir, 'matchers.mts'),
      `import { expect } from 'vitest';\nimport 'async-prof/vitest';\nimport { profile } from 'async-prof';\n` +
        `const r = await profile(() => 1);\nexpect(r).toHaveNoBlockingOver(50);\nexpect(r).toHaveLagP99Below(20);\nexpect(r).not.toHaveNoBlocking();\nexpect(r).toHaveMaxLagBelow(100);\n` +
        `// @ts-expect-error: the limit is a number\nexpect(r).toHaveLagP99Below('20');\n`,
    );
    const tsc = createRequire(join(repoRoot, 'package.json')).resolve('typescript/bin/tsc');
    const result = spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { cwd: dir, encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('async-prof/vite', () => {
  it('names the tasks of code that vitest loads, at the lines of the source', () => {
    const vitest = join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs');
    const run = spawnSync(process.execPath, [vitest, 'run', '--config', join(repoRoot, 'test/fixtures/ci/vite/vitest.config.mjs')], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/1 passed/);
  });
});
