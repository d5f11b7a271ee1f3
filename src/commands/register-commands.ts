// Every command of the CLI, each registered by its own file.
import type { Command } from 'commander';
import { registerCiCommand } from './ci.js';
import { registerCompareCommand } from './compare.js';
import { registerReportCommand } from './report.js';
import { registerRunCommands } from './run.js';
import type { SetExit } from './set-exit.js';
import { registerSnapshotCommand } from './snapshot.js';
import { registerViewerCommands } from './viewer-commands.js';

export function registerCommands(program: Command, setExit: SetExit): void {
  registerRunCommands(program, setExit);
  registerReportCommand(program, setExit);
  registerViewerCommands(program, setExit);
  registerCompareCommand(program, setExit);
  registerCiCommand(program, setExit);
  registerSnapshotCommand(program, setExit);
}
