// Ctrl-C in a terminal sends SIGINT to the whole foreground process group: to the CLI and to the
// script it started, which then gets it from the terminal already. Forwarding it as well would
// give the script two SIGINTs where it gets one bare (a script that stops gracefully on the
// first and at once on the second would stop at once). Likewise SIGHUP when the terminal closes.
// A signal sent to the CLI alone (kill <pid>) must reach the script: it is forwarded then.
import { readFileSync } from 'node:fs';

/**
 * Whether a SIGINT or SIGHUP the CLI just got most likely came from its terminal, to its whole
 * process group (Linux: the CLI's group is the terminal's foreground group; elsewhere: stdin is
 * a terminal). The script shares the CLI's group unless it was started detached.
 */
export function signalCameFromTerminal(): boolean {
  if (!process.stdin.isTTY) return false;
  try {
    // Fields after the command name (which may hold spaces, so parsed from its closing paren):
    // state ppid pgrp session tty_nr tpgid ...
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pgrp = Number(fields[2]);
    const foreground = Number(fields[5]);
    return Number.isInteger(pgrp) && pgrp === foreground;
  } catch {
    return true;
  }
}
