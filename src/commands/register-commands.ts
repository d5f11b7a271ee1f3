// Commands of the later capabilities register here, one file each, so they stay apart.
import type { Command } from 'commander';
import { registerViewerCommands } from './viewer-commands.js';
import { registerCompareCommand } from './compare.js';
import { registerCiCommand } from './ci.js';

export type SetExit = (code: number) => void;

export function registerExtraCommands(program: Command, setExit: SetExit): void {
  registerViewerCommands(program, setExit);
  registerCompareCommand(program, setExit);
  registerCiCommand(program, setExit);
}
