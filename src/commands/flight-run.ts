// What `run --keep` adds around the script: the flight recorder (run/flight-recorder.ts) on the
// run's trace, a line saying how to take a snapshot, and SIGUSR2 to this CLI process (never to
// the script: its signals stay its own) writing one.
import { FlightRecorder } from '../run/flight-recorder.js';
import { checkScript } from '../run/profile-script.js';
import { claimTracePath } from '../run/trace-path.js';
import { terminalText } from '../output/terminal-text.js';
import { formatMs } from '../shared/format.js';

export interface FlightRun {
  tracePath: string;
  /** The window so far, as a trace at `to` (for the live page). */
  writeWindow(to: string): void;
  /** The window so far as a new trace next to the others (SIGUSR2, the live page's button): its path. */
  snapshot(): string;
  onSpawn(pid: number | null): void;
  beforeSeal(): void;
  stop(): void;
}

export function startFlightRecorder(script: string, keepMs: number, out: string | undefined): FlightRun {
  const cwd = process.cwd();
  const scriptPath = checkScript(script, cwd);
  const tracePath = claimTracePath(scriptPath, out, cwd);
  const recorder = new FlightRecorder(tracePath, keepMs, scriptPath, cwd);
  const snapshot = () => {
    const target = claimTracePath(scriptPath, undefined, cwd);
    recorder.snapshot(target);
    process.stderr.write(`async-prof: snapshot of the last ${formatMs(keepMs)}: ${terminalText(target)}\n`);
    return target;
  };
  const onSignal = () => {
    try {
      snapshot();
    } catch (error) {
      process.stderr.write(`async-prof: warning: no snapshot: ${terminalText((error as Error).message.split('\n')[0] ?? '')}\n`);
    }
  };
  return {
    tracePath,
    writeWindow: (to) => recorder.snapshot(to),
    snapshot,
    onSpawn(pid) {
      recorder.start(pid);
      process.on('SIGUSR2', onSignal);
      process.stderr.write(
        `async-prof: flight recorder: keeping the last ${formatMs(keepMs)}; snapshot: async-prof snapshot ${process.pid}${pid ? ` (or ${pid})` : ''}, or kill -USR2 ${process.pid}\n`,
      );
    },
    beforeSeal() {
      process.off('SIGUSR2', onSignal);
      try {
        recorder.finish();
      } catch (error) {
        process.stderr.write(`async-prof: warning: the flight recorder could not put its window together (${terminalText((error as Error).message.split('\n')[0] ?? '')}); the trace holds the latest segment only\n`);
      }
    },
    stop() {
      process.off('SIGUSR2', onSignal);
      recorder.stop();
    },
  };
}
