import type { Command } from 'commander';
import type { SetExit } from './extra.js';

export function registerCiCommand(_program: Command, _setExit: SetExit): void {
  // Not yet implemented: see the issue for this command.
}
