// Stack traces as the program would print them bare. Node formats every error's stack through
// Error.prepareStackTrace (a function of Node's own since v20); this one, installed in its
// place, hands Node the same call sites it would have had without the profiler:
// - the profiler's own frames (a wrapper around a timer callback, the CommonJS compile hook)
//   are left out, and a callback the profiler called through a wrapper is named the way Node's
//   call would have named it (`Timeout._onTimeout`, `Immediate.<name> [as _onImmediate]`);
// - in code without a source map, columns on lines where text was inserted are moved back to
//   the original ones (code compiled by tsx has a source map that already accounts for them).
// A program that installs its own Error.prepareStackTrace gets the raw call sites, as V8 gives
// them: lines are right, columns on instrumented lines are not (README "What differs").
import { moduleByScriptName } from '../module-registry.js';
import { primordials } from '../primordials.js';

type CallSite = NodeJS.CallSite;
type Prepare = (error: Error, trace: CallSite[]) => unknown;

/** Columns to move back, by script name: [line, column, length, ...] (transform.ts `columns`). */
function originalColumn(columns: number[], line: number, column: number): number {
  // Stack columns are 1-based; the table's are 0-based.
  const target = column - 1;
  let inserted = 0;
  for (let i = 0; i < columns.length; i += 3) {
    const insLine = columns[i]!;
    if (insLine < line) continue;
    if (insLine > line) break;
    const at = columns[i + 1]! + inserted;
    if (target < at) break;
    const length = columns[i + 2]!;
    // Inside inserted text: the position of the original text it was inserted before.
    if (target < at + length) return columns[i + 1]! + 1;
    inserted += length;
  }
  return target - inserted + 1;
}

const CALL_SITE_METHODS = [
  'getThis', 'getTypeName', 'getFunction', 'getFunctionName', 'getMethodName', 'getFileName', 'getLineNumber',
  'getColumnNumber', 'getEvalOrigin', 'isToplevel', 'isEval', 'isNative', 'isConstructor', 'isAsync', 'isPromiseAll',
  'getPromiseIndex', 'getScriptNameOrSourceURL', 'getScriptHash', 'getEnclosingColumnNumber', 'getEnclosingLineNumber',
  'getPosition',
] as const;

/** A call site that answers like `site` but with another column and/or rendering. */
function amended(site: CallSite, column: number | null, render: (text: string) => string): CallSite {
  const copy: Record<string, unknown> = {};
  for (const name of CALL_SITE_METHODS) {
    const method = (site as unknown as Record<string, unknown>)[name];
    if (typeof method === 'function') copy[name] = () => primordials.apply(method as (...a: unknown[]) => unknown, site, []);
  }
  const line = site.getLineNumber();
  const nativeColumn = site.getColumnNumber();
  if (column !== null) copy.getColumnNumber = () => column;
  copy.toString = () => {
    let text = render(String(site));
    if (column !== null && line !== null && nativeColumn !== null) {
      const suffix = `:${line}:${nativeColumn}`;
      const at = text.lastIndexOf(suffix);
      if (at !== -1) text = `${text.slice(0, at)}:${line}:${column}${text.slice(at + suffix.length)}`;
    }
    return text;
  };
  // The methods on its prototype, as a V8 call site has them: source-map-support and Vite's
  // module runner copy a call site by listing its prototype's methods.
  return primordials.objectCreate(copy) as unknown as CallSite;
}

/**
 * How Node's own call would have named a callback called through a wrapper that was stored
 * under `method` (e.g. `_onTimeout`): V8 names such a frame by the property holding the
 * function, which is now the wrapper.
 */
function renamedAs(site: CallSite, method: string): ((text: string) => string) | null {
  if (site.getMethodName() !== null) return null;
  const type = site.getTypeName();
  if (!type) return null;
  const name = site.getFunctionName();
  return (text) => {
    if (!name) return text.replace(`${type}.<anonymous>`, `${type}.${method}`);
    if (name === method) return text;
    const head = `${type}.${name}`;
    return text.startsWith(head) || text.startsWith(`async ${head}`) ? text.replace(head, `${head} [as ${method}]`) : text;
  };
}

export function installStackTraceFidelity(ownDir: string): void {
  const nodeDefault = Error.prepareStackTrace as Prepare | undefined;
  if (typeof nodeDefault !== 'function') return;
  const ownUrl = `file://${ownDir}`;
  const isOwn = (file: string | null | undefined) => typeof file === 'string' && (file.startsWith(ownDir) || file.startsWith(ownUrl));

  /** The call sites the program would have had bare. */
  const asBare = (trace: CallSite[]): CallSite[] => {
    try {
      let changed = false;
      const kept: CallSite[] = [];
      const columnsFixed: (number | null)[] = [];
      const renames: (((text: string) => string) | null)[] = [];
      for (const site of trace) {
        const file = site.getFileName();
        if (isOwn(file)) {
          changed = true;
          // The profiler's wrapper stood where Node would have called the program's function,
          // which is the frame right above it.
          const method = site.getMethodName();
          const callee = kept.length - 1;
          if (method && callee >= 0 && renames[callee] === null) renames[callee] = renamedAs(kept[callee]!, method);
          continue;
        }
        const columns = file ? moduleByScriptName(file)?.columns : undefined;
        const line = site.getLineNumber();
        const column = site.getColumnNumber();
        const fixed = columns && line !== null && column !== null ? originalColumn(columns, line, column) : null;
        kept.push(site);
        columnsFixed.push(fixed !== null && fixed !== column ? fixed : null);
        renames.push(null);
      }
      if (!changed && columnsFixed.every((c) => c === null)) return trace;
      return kept.map((site, i) => (columnsFixed[i] !== null || renames[i] !== null ? amended(site, columnsFixed[i]!, renames[i] ?? ((text) => text)) : site));
    } catch {
      return trace;
    }
  };

  // Node's own, in its place: named as it, whose text it shows (fidelity/to-string.ts).
  const ErrorPrepareStackTrace = function ErrorPrepareStackTrace(this: unknown, error: Error, trace: CallSite[]) {
    return primordials.apply(nodeDefault, this, [error, asBare(trace)]);
  };
  disguiseAs(ErrorPrepareStackTrace, nodeDefault);

  // A program's own Error.prepareStackTrace (source-map-support, depd, callsites) gets the same
  // call sites. Node calls whatever the property holds, so the property hands out a stand-in
  // for the program's function, and takes it back as that function (code that saves the
  // property and restores it later restores the program's function).
  const standIns = new primordials.WeakMap<object, Prepare>();
  const originals = new primordials.WeakMap<object, unknown>();
  const standInFor = (fn: Prepare): Prepare => {
    let standIn = standIns.get(fn);
    if (standIn === undefined) {
      const created: Prepare = function (this: unknown, error: Error, trace: CallSite[]) {
        return primordials.apply(fn, this, [error, asBare(trace)]);
      };
      primordials.defineProperty(created, 'name', { value: fn.name, configurable: true });
      primordials.defineProperty(created, 'length', { value: fn.length, configurable: true });
      disguiseAs(created, fn);
      standIns.set(fn, created);
      originals.set(created, fn);
      standIn = created;
    }
    return standIn;
  };
  let value: unknown = ErrorPrepareStackTrace;
  primordials.defineProperty(Error, 'prepareStackTrace', {
    configurable: true,
    enumerable: false,
    get: () => (typeof value === 'function' && value !== ErrorPrepareStackTrace ? standInFor(value as Prepare) : value),
    set: (next: unknown) => {
      value = typeof next === 'function' && originals.has(next) ? originals.get(next) : next;
    },
  });
}

/**
 * Functions of the profiler that stand in for the program's or Node's: their text is the
 * original's. A stand-in for a stand-in (two parts of the profiler wrapping one method) stands
 * for the first original.
 */
export const disguised = new WeakMap<object, object>();
export function disguiseAs(replacement: object, original: object): void {
  disguised.set(replacement, disguised.get(original) ?? original);
}
