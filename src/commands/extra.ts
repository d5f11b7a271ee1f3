// Commands added by later capabilities (view, export, compare, ci) register here.
import type { Command } from 'commander';

export function registerExtraCommands(_program: Command, _setExit: (code: number) => void): void {}
