// `async-prof report <trace> [--json]`
import { loadModel } from '../trace/load-model.js';
import { toReportJson } from '../report/report-json.js';
import { textReport } from '../report/text-report.js';

export function reportCommand(trace: string, options: { json?: boolean }): number {
  const model = loadModel(trace);
  if (options.json) {
    process.stdout.write(JSON.stringify(toReportJson(model)) + '\n');
  } else {
    process.stdout.write(textReport(model, { color: process.stdout.isTTY }) + '\n');
  }
  for (const warning of model.warnings) process.stderr.write(`async-prof: warning: ${warning}\n`);
  return 0;
}
