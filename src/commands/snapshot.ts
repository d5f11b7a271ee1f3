// `async-prof snapshot <pid> [-o <file>]`: writes the window a flight recorder (`run --keep`) holds
// so far as an ordinary trace, which report, view, compare and ci read. <pid> is the `run`
// command's pid or the script's; nothing is sent to either process (the window is on disk).
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { writeStdout } from '../output/output-streams.js';
import { terminalText } from '../output/terminal-text.js';
import { closeAll, findRecorder, openWindow } from '../run/flight-recorder.js';
import { claimTracePath } from '../run/trace-path.js';
import { writeWindow } from '../run/window-trace.js';
import { wholeNumber } from './number-options.js';
import type { SetExit } from './set-exit.js';

export function registerSnapshotCommand(program: Command, setExit: SetExit): void {
  program
    .command('snapshot')
    .description('write the window of a running `run --keep` as a trace file (the run\'s pid or its script\'s)')
    .argument('<pid>', 'pid of `async-prof run --keep ...` or of the script it runs', wholeNumber('<pid>', 1))
    .option('-o, --out <file>', 'where to write it (default: .async-prof/<script>-<time>.trace, in the run\'s directory)')
    .action((pid: number, options: { out?: string }) => {
      setExit(snapshotCommand(pid, options));
    });
}

export function snapshotCommand(pid: number, options: { out?: string }): number {
  const recorder = findRecorder(pid);
  if (!recorder) throw new UsageError(`no flight recorder runs as pid ${pid}: start the program with async-prof run --keep <duration>`);
  const out = claimTracePath(recorder.script, options.out, options.out ? process.cwd() : recorder.cwd);
  let fds: number[];
  try {
    fds = openWindow(recorder.trace, recorder.segments);
  } catch (error) {
    throw new UsageError(`cannot read the window of pid ${pid}: ${(error as Error).message.split('\n')[0]}`);
  }
  try {
    writeWindow(fds, out, { keepMs: recorder.keepMs, snapshot: true, writtenEpochMs: Date.now() });
  } finally {
    closeAll(fds);
  }
  writeStdout(`${terminalText(out)}\n`);
  return 0;
}
