// `npm run bench:viewer`: the viewer on a trace of 1,000,000 task spans, in headless Chromium on
// this machine. Prints the server's preparation time, the browser's load time (navigation to
// <body data-ready>, i.e. fetch, decode, first render) and frame times while zooming, panning and
// scrolling (the viewer's own render time per frame, and the interval between animation frames).
// Targets: load <= 3 s, >= 30 frames per second (frame interval <= 33 ms).
//   node bench/viewer.mjs [--tasks N] [--quick]
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const quick = process.argv.includes('--quick');
const total = arg('--tasks', quick ? 100_000 : 1_000_000);
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(join(root, 'dist', 'viewer', 'app.js'))) throw new Error('build first: node scripts/build.mjs');
if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing (apt-get install -y chromium)`);

const { syntheticTrace } = await tsImport('./viewer-trace.ts', import.meta.url);
const { buildViewModel } = await tsImport('../src/view-model/build-view-model.ts', import.meta.url);
const { startViewerServer } = await tsImport('../src/server/serve-view.ts', import.meta.url);
const { VIEW_DATA_PATH } = await tsImport('../contract/viewer-wire.ts', import.meta.url);

const ms = (v) => `${v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0)} ms`;
const pct = (values, p) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

let t = performance.now();
const model = syntheticTrace(total);
const genMs = performance.now() - t;
t = performance.now();
const server = await startViewerServer(model, 0);
const serveMs = performance.now() - t;
const blob = await fetch(`${server.url}${VIEW_DATA_PATH}`).then((r) => r.arrayBuffer());
console.log(`trace: ${model.tasks.length.toLocaleString('en-US')} task spans, ${model.resources.length.toLocaleString('en-US')} resources, ${model.lag.times.length.toLocaleString('en-US')} lag samples, ${model.blocking.length} blocking stretches, wall ${model.wallMs / 1000} s`);
console.log(`server: generated in ${ms(genMs)}; view model built and served in ${ms(serveMs)}; ${(blob.byteLength / 2 ** 20).toFixed(1)} MB to the browser`);
void buildViewModel;

const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const results = [];
try {
  const loads = [];
  let page;
  for (let run = 0; run < (quick ? 1 : 3); run++) {
    if (page) await page.context().close();
    page = await (await browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    const started = Date.now();
    await page.goto(server.url);
    await page.waitForSelector('body[data-ready]', { timeout: 60_000 });
    const wall = Date.now() - started;
    const { loadMs: inPage, timings } = await page.evaluate(() => ({ loadMs: window.asyncProfViewer.loadMs, timings: window.asyncProfViewer.timings }));
    loads.push({ wall, inPage, timings });
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
  }
  console.log(`browser load (navigation to first render): ${loads.map((l) => ms(l.inPage)).join(', ')} (in page); ${loads.map((l) => ms(l.wall)).join(', ')} (seen from outside)`);
  const tm = loads[loads.length - 1].timings;
  console.log(`  last load: script running at ${ms(tm.script)}, data fetched ${ms(tm.fetched)}, decoded and indexed ${ms(tm.decoded)}, page built ${ms(tm.built)}, first frame ${ms(tm.rendered)}`);

  const scenarios = [
    ['zoom in x100000 (W held)', 'zoomIn', 150],
    ['pan at deep zoom (D held)', 'pan', 120],
    ['zoom out to everything (S held)', 'zoomOut', 150],
    ['pan and zoom, everything visible', 'wiggle', 120],
    ['expand all (1M lanes), scroll', 'scroll', 120],
    ['expand all, zoom in and out', 'zoomBoth', 150],
  ];
  for (const [label, kind, frames] of scenarios) {
    const r = await page.evaluate(
      async ({ kind, frames }) => {
        const { timeline, actions } = window.asyncProfViewer;
        if (kind === 'scroll' || kind === 'zoomBoth') actions.setAllCollapsed(false);
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        const from = timeline.stats.frameTimes.length;
        const renders0 = timeline.stats.renders;
        const intervals = [];
        let last = performance.now();
        for (let i = 0; i < frames; i++) {
          const x = 700 + Math.sin(i / 9) * 300;
          if (kind === 'zoomIn') timeline.zoomBy(1.08, x);
          else if (kind === 'zoomOut') timeline.zoomBy(1 / 1.08, x);
          else if (kind === 'pan') timeline.panBy(40);
          else if (kind === 'wiggle') i % 2 ? timeline.panBy(i % 4 === 1 ? 30 : -30) : timeline.zoomBy(i % 4 === 0 ? 1.05 : 1 / 1.05, x);
          else if (kind === 'scroll') {
            timeline.scrollBy(2200);
            timeline.panBy(i % 2 ? 10 : -10);
          } else if (kind === 'zoomBoth') timeline.zoomBy(i < frames / 2 ? 1.1 : 1 / 1.1, x);
          await new Promise((r) => requestAnimationFrame(() => r()));
          const now = performance.now();
          intervals.push(now - last);
          last = now;
        }
        const rows = timeline.rows.length;
        return { renders: timeline.stats.frameTimes.slice(from), count: timeline.stats.renders - renders0, intervals, rows, range: timeline.visibleRange() };
      },
      { kind, frames },
    );
    results.push({ label, ...r });
    const fps = 1000 / (r.intervals.reduce((a, b) => a + b, 0) / r.intervals.length);
    console.log(
      `${label.padEnd(36)} render p50 ${ms(pct(r.renders, 50)).padStart(8)}  p95 ${ms(pct(r.renders, 95)).padStart(8)}  max ${ms(Math.max(...r.renders)).padStart(8)}   frame interval p50 ${ms(pct(r.intervals, 50)).padStart(8)}  p95 ${ms(pct(r.intervals, 95)).padStart(8)}   ${fps.toFixed(0)} fps  (${r.count} renders, ${r.rows.toLocaleString('en-US')} lanes)`,
    );
  }
  const load = Math.max(...loads.map((l) => l.inPage));
  const worstP95 = Math.max(...results.map((r) => pct(r.intervals, 95)));
  console.log(`\nload ${load <= 3000 ? 'OK' : 'OVER'}: worst ${ms(load)} (target <= 3000 ms); frames ${worstP95 <= 1000 / 30 ? 'OK' : 'OVER'}: worst p95 frame interval ${ms(worstP95)} (target <= 33.3 ms, 30 fps)`);
} finally {
  await browser.close();
  await server.close();
}
