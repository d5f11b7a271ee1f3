// Replacing a method of Node's where Node keeps it (a prototype, an instance), so that a program
// sees the original: the wrapper has its name, length and text, its frame is left out of stack
// traces, and an inherited method becomes an own one that is not enumerable, as class methods are.
import { primordials } from '../primordials.js';
import { disguiseAs } from './stack-trace.js';

export type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

export function replaceMethod(owner: object, key: PropertyKey, make: (original: AnyFunction) => AnyFunction): void {
  const descriptor = primordials.getOwnPropertyDescriptor(owner, key);
  const inherited = descriptor === undefined ? (owner as Record<PropertyKey, unknown>)[key] : descriptor.value;
  if (typeof inherited !== 'function') return;
  const original = inherited as AnyFunction;
  const wrapper = make(original);
  primordials.defineProperty(wrapper, 'name', { value: original.name, configurable: true });
  primordials.defineProperty(wrapper, 'length', { value: original.length, configurable: true });
  disguiseAs(wrapper, original);
  primordials.defineProperty(owner, key, descriptor === undefined ? { value: wrapper, writable: true, enumerable: false, configurable: true } : { ...descriptor, value: wrapper });
}
