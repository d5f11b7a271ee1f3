// The built-ins the profiler uses inside the profiled process, taken once, before any of the
// program's code runs. A program may replace globalThis.performance, Date, setTimeout, Promise or
// Function.prototype methods (fake timers do, on purpose): the profiler must neither break when
// it does nor call the program's replacements (which would be the program's code running at
// the profiler's times).
import { performance as perfHooksPerformance } from 'node:perf_hooks';
import * as timers from 'node:timers';
import { types } from 'node:util';

const promiseThen = Promise.prototype.then;
const reflectApply = Reflect.apply;
const hasOwnProperty = Object.prototype.hasOwnProperty;
const now = perfHooksPerformance.now.bind(perfHooksPerformance);
const eventLoopUtilization = perfHooksPerformance.eventLoopUtilization.bind(perfHooksPerformance);

export const primordials = {
  apply: reflectApply,
  Promise,
  PromisePrototype: Promise.prototype,
  /** promise.then(onFulfilled, onRejected) with the built-in then, never a replaced one. */
  promiseThen(promise: Promise<unknown>, onFulfilled: (value: unknown) => void, onRejected: (reason: unknown) => void): void {
    reflectApply(promiseThen, promise, [onFulfilled, onRejected]);
  },
  isPromise: types.isPromise,
  isProxy: types.isProxy,
  getPrototypeOf: Object.getPrototypeOf,
  objectCreate: Object.create,
  arrayFrom: Array.from,
  objectKeys: Object.keys,
  hasOwn(object: object, key: PropertyKey): boolean {
    return reflectApply(hasOwnProperty, object, [key]) as boolean;
  },
  defineProperty: Object.defineProperty,
  getOwnPropertyDescriptor: Object.getOwnPropertyDescriptor,
  isArray: Array.isArray,
  construct: Reflect.construct,
  /** performance.now() of node:perf_hooks, whatever the program does to globalThis.performance. */
  now,
  eventLoopUtilization,
  dateNow: Date.now,
  setTimeout: timers.setTimeout,
  clearTimeout: timers.clearTimeout,
  setImmediate: timers.setImmediate,
  queueMicrotask: globalThis.queueMicrotask,
  stringify: JSON.stringify,
  hrtimeBigint: process.hrtime.bigint,
  String,
  WeakMap,
  Map,
  Set,
  Error,
};

/** What to add to a performance.now() reading to get the monotonic clock V8's profiler uses (ms): a Meta's hrOriginMs. */
export function hrOriginMs(): number {
  return Number(primordials.hrtimeBigint()) / 1e6 - primordials.now();
}
