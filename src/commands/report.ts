// `async-prof report <trace> [--json]`
import { loadModel } from '../trace/load-model.js';
import { writeReportJson } from '../report/report-json.js';
import { textReport } from '../report/text-report.js';

export function reportCommand(trace: string, options: { json?: boolean; blockingThreshold?: number }): number {
  const model = loadModel(trace, { blockingThresholdMs: options.blockingThreshold });
  if (options.json) {
    writeReportJson(model, (text) => process.stdout.write(text));
  } else {
    process.stdout.write(textReport(model, { color: process.stdout.isTTY }) + '\n');
  }
  for (const warning of model.warnings) process.stderr.write(`async-prof: warning: ${warning}\n`);
  return 0;
}
