// Builds dist/ from the TypeScript sources. Runs as `prepare`, so `npm ci` leaves a working CLI.
// esbuild only strips types and bundles our own modules; `tsc --noEmit` (in `npm test`) checks them.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
// Built in place, never emptied first: a CLI that is running (a test, another shell) keeps working.
mkdirSync(dist, { recursive: true });

const nodeCommon = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
};

// CommonJS builds: import.meta.url (used by bundled modules to find their files) from __filename.
// Strict mode first, as the sources are modules: a directive after the banner's statement would
// not count, and the preload's wrappers of Node's functions would be sloppy functions (own
// `arguments` and `caller` properties that Node's have not).
const cjs = {
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: '"use strict";\nconst __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
};

const entries = [
  // The CLI and the public API (ESM + CJS).
  { ...nodeCommon, entryPoints: { cli: 'src/cli.ts', index: 'src/index.ts' }, outdir: dist, format: 'esm' },
  { ...nodeCommon, ...cjs, entryPoints: { index: 'src/index.ts' }, outdir: dist },
  // What runs inside the profiled process. Kept apart from src/ so nothing heavy is loaded there,
  // and self-contained (acorn and the source-map codec bundled in): a require() of a package of
  // ours would show in the program's require.cache.
  {
    ...nodeCommon,
    packages: undefined,
    entryPoints: {
      'instrument/preload': 'instrument/preload.ts',
      'instrument/loader-hooks': 'instrument/loader-hooks.ts',
      'instrument/recorder-worker': 'instrument/recorder-worker.ts',
    },
    outdir: dist,
    format: 'esm',
  },
  // The same preload as CommonJS, for `node --require` (JavaScript runs as it does bare: an
  // --import preload would send even a CommonJS entry through the ES module loader).
  { ...nodeCommon, ...cjs, packages: undefined, entryPoints: { 'instrument/preload': 'instrument/preload.ts' }, outdir: dist },
];

const optional = [
  // The browser app: d3 and our code in one file, so the HTML export can inline it.
  { absWorkingDir: root, entryPoints: { 'viewer/app': 'viewer/app.ts' }, outdir: dist, bundle: true, format: 'iife', platform: 'browser', target: 'es2022', minify: true, sourcemap: 'linked', logLevel: 'warning' },
  { ...nodeCommon, entryPoints: { vitest: 'src/vitest.ts' }, outdir: dist, format: 'esm' },
  { ...nodeCommon, ...cjs, entryPoints: { vitest: 'src/vitest.ts' }, outdir: dist },
  // async-prof/vite: the plugin that instruments files loaded by Vite/vitest.
  { ...nodeCommon, entryPoints: { vite: 'src/vite-plugin.ts' }, outdir: dist, format: 'esm' },
  { ...nodeCommon, ...cjs, entryPoints: { vite: 'src/vite-plugin.ts' }, outdir: dist },
];

for (const options of entries) await build(options);
for (const options of optional) {
  const first = Object.values(options.entryPoints)[0];
  if (existsSync(join(root, first))) await build(options);
}

// The public API's type declarations (dist/types; skipped when up to date).
const { buildTypes } = await import('./build-types.mjs');
buildTypes();

// The viewer's page and stylesheet sit next to its script: the server serves them, the HTML
// export inlines them.
for (const asset of ['index.html', 'style.css']) {
  if (!existsSync(join(root, 'viewer', asset))) continue;
  mkdirSync(join(dist, 'viewer'), { recursive: true });
  copyFileSync(join(root, 'viewer', asset), join(dist, 'viewer', asset));
}
