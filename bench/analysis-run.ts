// Analyses one trace the way `async-prof report` does (read, model, analyses, text report) and
// prints what it took: CPU and wall time per stage, peak RSS. Bundled and run in a fresh process
// per trace by bench/analysis.mjs, so the memory figures are this trace's alone.
import { analyse } from '../src/analysis/pipeline.js';
import { buildModel } from '../src/model/build-model.js';
import { sourceReader } from '../src/model/source-reader.js';
import { writeReportJson } from '../src/report/report-json.js';
import { textReport } from '../src/report/text-report.js';
import { readTrace } from '../src/trace/read-trace.js';

const [path, json] = process.argv.slice(2);
const baselineRssKb = process.resourceUsage().maxRSS;
const cpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const started = performance.now();
const startedCpu = cpu();
const raw = readTrace(path!);
const readMs = performance.now() - started;
const model = buildModel(raw);
const builtMs = performance.now() - started;
const analysis = analyse(model, { source: sourceReader(model) });
const analysedMs = performance.now() - started;
const text = textReport(model);
const reportMs = performance.now() - started;
const reportCpuMs = cpu() - startedCpu;
let jsonMs = 0;
let jsonBytes = 0;
if (json === 'json') {
  const t = performance.now();
  writeReportJson(model, (chunk) => (jsonBytes += chunk.length));
  jsonMs = performance.now() - t;
}
process.stdout.write(
  JSON.stringify({
    events: model.eventCount,
    readMs,
    buildMs: builtMs - readMs,
    analyseMs: analysedMs - builtMs,
    textMs: reportMs - analysedMs,
    totalMs: reportMs,
    totalCpuMs: reportCpuMs,
    jsonMs,
    jsonBytes,
    baselineRssKb,
    peakRssKb: process.resourceUsage().maxRSS,
    cutShort: analysis.cutShort,
    passes: Object.fromEntries([...analysis.timings].map(([k, v]) => [k, Math.round(v)])),
    textLines: text.split('\n').length,
  }) + '\n',
);
