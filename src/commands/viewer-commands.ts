// `async-prof view <trace>` and `async-prof export <trace> ...`.
import { Option, type Command } from 'commander';
import { extname } from 'node:path';
import { UsageError } from '../errors.js';
import { exportChromeTrace } from '../export/chrome-trace.js';
import { exportHtml } from '../export/html-export.js';
import { serveUntilInterrupted } from '../server/serve-view.js';
import { loadModel } from '../trace/load-model.js';
import { printWarnings } from '../output/output-streams.js';
import { BLOCKING_THRESHOLD_HELP, portNumber, positiveNumber } from './number-options.js';
import type { SetExit } from './set-exit.js';

const FORMATS = ['html', 'chrome'] as const;
type Format = (typeof FORMATS)[number];

interface ExportOptions {
  html?: string;
  format?: Format;
  blockingThreshold?: number;
}

/** Which file to write in which format, from `--html <file>` or `--format <f> <file>`. */
export function exportTarget(file: string | undefined, options: ExportOptions): { format: Format; file: string } {
  const usage = 'use `async-prof export <trace> --html <file>` or `async-prof export <trace> --format chrome <file>`';
  if (options.html !== undefined) {
    if (file !== undefined || (options.format !== undefined && options.format !== 'html')) throw new UsageError(`give one output: ${usage}`);
    return { format: 'html', file: options.html };
  }
  if (file === undefined) throw new UsageError(options.format ? `missing the output file after --format ${options.format}` : `missing the output: ${usage}`);
  if (options.format) return { format: options.format, file };
  const ext = extname(file).toLowerCase();
  if (ext === '.html' || ext === '.htm') return { format: 'html', file };
  if (ext === '.json') return { format: 'chrome', file };
  throw new UsageError(`cannot tell the format of ${file}: add --format html or --format chrome`);
}

function formatBytes(n: number): string {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(0)} kB`;
  return `${n} B`;
}

export function registerViewerCommands(program: Command, setExit: SetExit): void {
  program
    .command('view')
    .description('serve the timeline of a recorded trace on 127.0.0.1 and open it in a browser')
    .argument('<trace>', 'a .trace file written by `async-prof run`')
    .option('--no-open', 'serve the timeline but do not open a browser')
    .addOption(new Option('--port <n>', 'port to listen on (default: a free one)').argParser(portNumber))
    .option('--blocking-threshold <ms>', BLOCKING_THRESHOLD_HELP, positiveNumber('--blocking-threshold'))
    .action(async (trace: string, options: { open: boolean; port?: number; blockingThreshold?: number }) => {
      const model = loadModel(trace, { blockingThresholdMs: options.blockingThreshold });
      printWarnings(model.warnings);
      await serveUntilInterrupted(model, { port: options.port, open: options.open });
      setExit(0);
    });

  program
    .command('export')
    .description('write the timeline as one self-contained HTML file, or as Chrome Trace Event JSON (Perfetto, chrome://tracing)')
    .argument('<trace>', 'a .trace file written by `async-prof run`')
    .argument('[file]', 'the output file, with --format')
    .option('--html <file>', 'write a self-contained HTML timeline (no network needed)')
    .addOption(new Option('--format <format>', 'output format for <file>').choices([...FORMATS]))
    .option('--blocking-threshold <ms>', BLOCKING_THRESHOLD_HELP, positiveNumber('--blocking-threshold'))
    .action((trace: string, file: string | undefined, options: ExportOptions) => {
      const target = exportTarget(file, options);
      const model = loadModel(trace, { blockingThresholdMs: options.blockingThreshold });
      try {
        if (target.format === 'html') {
          const bytes = exportHtml(model, target.file);
          process.stderr.write(`async-prof: wrote ${target.file} (${formatBytes(bytes)}); open it in any browser, no server needed\n`);
        } else {
          const events = exportChromeTrace(model, target.file);
          process.stderr.write(`async-prof: wrote ${target.file} (${events.toLocaleString('en-US')} events); open it in https://ui.perfetto.dev or chrome://tracing\n`);
        }
      } catch (error) {
        const e = error as NodeJS.ErrnoException;
        if (e.code && e.syscall) throw new UsageError(`cannot write ${target.file}: ${e.code === 'ENOENT' ? 'no such directory' : e.code === 'EACCES' ? 'permission denied' : e.message}`);
        throw error;
      }
      printWarnings(model.warnings);
      setExit(0);
    });
}
