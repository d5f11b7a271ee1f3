// A trace whose every string is fit for a terminal (terminal-text.ts), for the commands that
// print it as text: the report, the analyses' hints and the comparison then hold no control
// character or escape sequence from the trace, whichever of them words what. Machine output
// (--json, the exports, the viewer) keeps the trace's text as it is: JSON and HTML escape it.
import type { ProfileChunk } from '../../contract/index.js';
import type { RawTrace } from '../trace/raw-trace.js';
import { terminalText } from './terminal-text.js';

/** Paths are cut much later than messages: a cut path no longer lies under its directory. */
const PATH_MAX = 20_000;
const path = (p: string) => terminalText(p, PATH_MAX);
const text = (s: string) => terminalText(s);

function profile(chunk: ProfileChunk): ProfileChunk {
  return { ...chunk, nodes: chunk.nodes.map((n) => ({ ...n, f: text(n.f), u: path(n.u) })) };
}

export function terminalSafeTrace(raw: RawTrace): RawTrace {
  const endOf = (end: RawTrace['end']) => (end && typeof end.signal === 'string' ? { ...end, signal: text(end.signal) } : end);
  return {
    ...raw,
    meta: { ...raw.meta, script: path(raw.meta.script), args: raw.meta.args.map(text), cwd: path(raw.meta.cwd), profilerDir: path(raw.meta.profilerDir) },
    modules: raw.modules.map((m) => ({ ...m, file: path(m.file), functions: m.functions.map((f, i) => (i % 3 === 0 && typeof f === 'string' ? text(f) : f)) })),
    profiles: raw.profiles.map(profile),
    errors: raw.errors.map((e) => ({
      ...e,
      origin: text(e.origin),
      message: text(e.message),
      ...(e.name !== undefined ? { name: text(e.name) } : {}),
      ...(typeof e.stack === 'string' ? { stack: terminalText(e.stack, PATH_MAX) } : {}),
    })),
    marks: raw.marks.map((m) => ({ ...m, entries: m.entries.map((e) => ({ ...e, name: text(e.name) })) })),
    end: endOf(raw.end),
    epilogue: endOf(raw.epilogue),
    warnings: raw.warnings.map(text),
    ...(raw.threads ? { threads: raw.threads.map(terminalSafeTrace) } : {}),
    ...(raw.processes ? { processes: raw.processes.map(terminalSafeTrace) } : {}),
  };
}
