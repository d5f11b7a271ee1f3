// A run with no task at all is never reported silently: the report says what the likely cause is
// and what to do, since an empty timeline looks like a profiler that did not work.
import type { RawTrace } from '../trace/read-trace.js';

export function noTasksWarning(raw: RawTrace, tasks: number): string | null {
  if (tasks > 0) return null;
  // The program's async work ran in worker threads, which were recorded: the report lists them.
  if ((raw.threads ?? []).some((thread) => thread.chunks.length > 0)) return null;
  // Likewise in Node child processes (a cluster's workers): the report lists them.
  if ((raw.processes ?? []).some((child) => child.chunks.length > 0)) return null;
  // A program that failed (a load error, an uncaught exception, a non-zero exit) has its own
  // story in its output; an empty timeline is then no sign of the profiler missing anything.
  const ended = raw.end ?? raw.epilogue;
  if (ended && ended.signal === null && ended.exitCode !== null && ended.exitCode !== 0) return null;
  const programFiles = raw.modules.filter((m) => m.file !== '(async_hooks)').length;
  if (programFiles === 0) {
    return (
      "no tasks recorded: none of the program's own files was instrumented. Its code may be compiled by a loader of its own (vm, eval, a bundler), " +
      'live in node_modules (name the packages with --instrument-modules), or run only in worker threads that were not recorded (--no-workers); ' +
      '--hooks records its promises, timers and I/O through async_hooks'
    );
  }
  const asyncFunctions = raw.modules.reduce((sum, m) => sum + (m.file === '(async_hooks)' ? 0 : m.functions.length / 3), 0);
  if (asyncFunctions === 0) {
    return (
      `no tasks recorded: the program's own file${programFiles > 1 ? 's have' : ' has'} no async function (timers, I/O, lag and blocking are still recorded). ` +
      'If its async work is elsewhere: in code compiled by a loader of its own (vm, eval), in worker threads that were not recorded (--no-workers), or in node_modules (name the packages with --instrument-modules); ' +
      '--hooks records its promises, timers and I/O through async_hooks'
    );
  }
  return (
    `no tasks recorded: ${programFiles} file${programFiles > 1 ? 's' : ''} of the program ${programFiles > 1 ? 'were' : 'was'} instrumented, but none of ${programFiles > 1 ? 'their' : 'its'} async functions ran. ` +
    'Its async work may run in worker threads that were not recorded (--no-workers), in node_modules (name the packages with --instrument-modules), or in code compiled by a loader of its own; ' +
    '--hooks records its promises, timers and I/O through async_hooks'
  );
}
