// Function.prototype.toString as the program would see it bare: the source text of an
// instrumented function without the inserted text (dependency-injection containers read
// parameter names from it; tests print it), and the profiler's stand-ins for built-ins (timer
// wrappers, Error.prepareStackTrace, this function itself) show the text of what they replace.
import { RUNTIME_GLOBAL } from '../../contract/index.js';
import { allModules, type InstrumentedModule } from '../module-registry.js';
import { primordials } from '../primordials.js';
import { disguiseAs, disguised } from './stack-trace.js';

const MARK = `${RUNTIME_GLOBAL}.`;

/** `text` (a slice of module.code starting at `start`) without the inserted ranges in it. */
function withoutEdits(module: InstrumentedModule, start: number, text: string): string {
  const { edits } = module;
  const end = start + text.length;
  // First edit at or after start (edits are sorted by offset).
  let lo = 0;
  let hi = edits.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edits[mid * 2]! < start) lo = mid + 1;
    else hi = mid;
  }
  let out = '';
  let at = start;
  for (let i = lo * 2; i < edits.length && edits[i]! < end; i += 2) {
    out += module.code.slice(at, edits[i]);
    at = Math.min(end, edits[i]! + edits[i + 1]!);
  }
  return out + module.code.slice(at, end);
}

function originalText(text: string): string {
  for (const module of allModules()) {
    const start = module.code.indexOf(text);
    if (start !== -1) return withoutEdits(module, start, text);
  }
  return text;
}

export function installToStringFidelity(): void {
  const nativeToString = Function.prototype.toString;
  const cache = new primordials.WeakMap<object, string>();
  const toString = function toString(this: unknown): string {
    const stand = typeof this === 'function' ? disguised.get(this) : undefined;
    const text = primordials.apply(nativeToString, stand ?? this, []) as string;
    if (stand !== undefined || !text.includes(MARK)) return text;
    const known = cache.get(this as object);
    if (known !== undefined) return known;
    const original = originalText(text);
    cache.set(this as object, original);
    return original;
  };
  primordials.defineProperty(Function.prototype, 'toString', { ...primordials.getOwnPropertyDescriptor(Function.prototype, 'toString'), value: toString });
  disguiseAs(toString, nativeToString);
}
