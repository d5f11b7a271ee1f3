// Type declarations of the public API: `tsc` emits dist/types/**/*.d.ts (for `import`), then each
// is copied as .d.cts with its relative specifiers renamed (for `require`), so that TypeScript
// sees CommonJS declarations where package.json "exports" hands out dist/*.cjs.
// Called by scripts/build.mjs; type errors are reported by `npm run typecheck`, not here.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'types');

function newest(dir) {
  let latest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    latest = Math.max(latest, stat.isDirectory() ? newest(path) : stat.mtimeMs);
  }
  return latest;
}

export function buildTypes({ force = false } = {}) {
  const marker = join(out, 'src', 'index.d.cts');
  const sources = Math.max(newest(join(root, 'src')), newest(join(root, 'instrument')), statSync(join(root, 'tsconfig.types.json')).mtimeMs);
  if (!force && existsSync(marker) && statSync(marker).mtimeMs > sources) return;
  rmSync(out, { recursive: true, force: true });
  const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.types.json')], { cwd: root, encoding: 'utf8' });
  if (!existsSync(join(out, 'src', 'index.d.ts'))) {
    process.stderr.write(`${result.stdout}${result.stderr}`);
    throw new Error('type declarations were not emitted (see above)');
  }
  if (result.status !== 0) {
    process.stderr.write('build: tsc reported type errors while emitting declarations; run `npm run typecheck` for details\n');
  }
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.d.ts')) {
        const text = readFileSync(path, 'utf8').replace(/((?:from|import)\s*\(?\s*['"]\.{1,2}\/[^'"]*?)\.js(['"])/g, '$1.cjs$2');
        writeFileSync(path.replace(/\.d\.ts$/, '.d.cts'), text);
      }
    }
  };
  walk(out);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) buildTypes({ force: true });
